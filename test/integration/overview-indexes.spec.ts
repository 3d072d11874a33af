import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AUTHORISE_AND_LOG_SQL, CONCERNED_SQL } from '../../libs/auth/src';
import { CASELOAD_SQL, CONSENTS_OF_PERSONS_SQL, OVERVIEW_BUNDLE_SQL, today } from '../../libs/domain/src';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/**
 * Every table the plan reads with a sequential scan. (An index walked whole, for a condition on a column it does
 * not lead with, is not caught here: on empty tables the planner's choice among indexes says too little.)
 */
function scannedTables(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] ? [node['Relation Name']] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scannedTables)];
}

/**
 * The overview reads one person's rows out of tables that grow with the whole register (contacts, consents,
 * meetings, episodes ...). Each of those reads must be able to use an index: with sequential scans disabled,
 * PostgreSQL still plans one only where no index serves, so a "Seq Scan" node here is a read that would cost
 * time in proportion to the register (at 100,000 persons the consent read alone took 17 ms before its index).
 */
describe('the overview and the caseload read by index', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('SET enable_seqscan = off');
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  async function planOf(sql: string, params: unknown[]): Promise<PlanNode> {
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    );
    return rows[0]['QUERY PLAN'][0].Plan;
  }

  it("every consent of a person, withdrawn ones included, by the person's index", async () => {
    expect(scannedTables(await planOf(CONSENTS_OF_PERSONS_SQL, [[randomUUID()]]))).toEqual([]);
  });

  it("the overview's one statement scans no table", async () => {
    expect(scannedTables(await planOf(OVERVIEW_BUNDLE_SQL, [[randomUUID()], 5, new Date()]))).toEqual([]);
  });

  it("a staff member's caseload (the web client's first screen) scans no table", async () => {
    expect(
      scannedTables(await planOf(CASELOAD_SQL, [randomUUID(), today(), null, null, 201, false, false, null])),
    ).toEqual([]);
  });

  it("the caseload reads each person's membership and current plan from the index alone, never from the table", async () => {
    // With plain index scans disabled too, an index-only scan is what PostgreSQL plans wherever an index holds every
    // column the read needs; a table read per person (scattered pages, 400 of each per caseload) shows up here.
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL enable_indexscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const plan = await planOf(CASELOAD_SQL, [randomUUID(), today(), null, null, 201, false, false, null]);
      const reads = (node: PlanNode): Array<[string, string]> => [
        ...(node['Relation Name'] ? [[node['Relation Name'], node['Node Type']] as [string, string]] : []),
        ...(node.Plans ?? []).flatMap(reads),
      ];
      const of = (table: string) => reads(plan).filter(([name]) => name === table);
      expect(of('group_member')).toEqual([['group_member', 'Index Only Scan']]);
      expect(of('sip_plan')).toEqual([['sip_plan', 'Index Only Scan']]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('the access decision that comes before each of them (with its log entry) scans no table', async () => {
    const plan = await planOf(AUTHORISE_AND_LOG_SQL, [
      randomUUID(),
      [randomUUID()],
      today(),
      randomUUID(),
      null,
      'READ_LIMITED',
      'MUNICIPALITY',
      false,
      'SOCIAL_WORKER',
      'patientOverview',
      null,
      true,
    ]);
    expect(scannedTables(plan)).toEqual([]);
  });

  it('whom a live event about a person concerns (its members, teams and emergency accesses) scans no table', async () => {
    expect(scannedTables(await planOf(CONCERNED_SQL, [randomUUID(), today()]))).toEqual([]);
  });
});
