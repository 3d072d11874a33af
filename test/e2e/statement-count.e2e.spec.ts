import { Principal, SipPlanService } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OVERVIEW = `query($id: ID!) {
  patientOverview(personId: $id) {
    person { id givenName identityNumber relatives { name } }
    sipPlan { status version interventions { description responsibleOrganisation { name } } }
    collaborationGroup { coordinator { familyName } }
    roster { role principal staff { familyName profession organisation { name principal } } }
    recentContacts { kind summary staff { familyName organisation { name } } }
    currentHousing { kind provider { name } }
    actTeams { name }
    nextSipMeeting { startsAt }
    nextFollowUpOn
    followUpOverdue
    responsibilities { organisation { name } interventions { description } contacts { staff { familyName phone } } }
    openProposals { title }
    votesMissing { id }
    daysSinceLastContact
    consent { state withheldFromYou }
  }
}`;

const CASELOAD = `query($first: Int!) {
  caseload(first: $first) {
    edges { node { planStatus nextFollowUpOn daysSinceLastContact votesMissing person { id givenName familyName collaborationGroup { coordinator { familyName } } currentHousing { kind } } } }
    pageInfo { hasNextPage }
  }
}`;

/**
 * No N+1 by construction: the number of SQL statements of a request must not grow with the number
 * of items it returns. Each request is measured twice, on a small and on a large data set.
 */
describe('SQL statements per request', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function statementsOf(query: string, variables: Record<string, unknown>, token: string): Promise<number> {
    await api.gql(query, variables, token); // warm the identity cache
    db.counter.reset();
    const result = await api.gql(query, variables, token);
    expect(result.errors).toBeUndefined();
    // The counter already leaves out the access-log sealer's background statements (SEALER_STATEMENTS).
    const ofRequest = db.counter.statements;
    if (process.env.SHOW_SQL) console.log(ofRequest.map((s) => s.replace(/\s+/g, ' ').slice(0, 90)).join('\n'));
    return ofRequest.length;
  }

  async function personWith(owner: TestStaff, members: TestStaff[], contacts: number) {
    const person = await f.person(owner);
    for (const m of members)
      await f.collaboration.addMember(person.id, { staffId: m.staff.id, role: 'member', votingRepresentative: false });
    await db.dataSource.query(
      `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, summary)
       SELECT $1, staff, now() - make_interval(days => i), 'OUTREACH', 'contact ' || i
         FROM generate_series(1, $3::int) i, LATERAL (SELECT ($2::uuid[])[1 + i % array_length($2::uuid[], 1)] AS staff) s`,
      [person.id, [owner, ...members].map((m) => m.staff.id), contacts],
    );
    await db.dataSource.query(
      `INSERT INTO housing_placement (person_id, kind, started_on) VALUES ($1, 'EMERGENCY_SHELTER', '2026-01-01')`,
      [person.id],
    );
    await new SipPlanService(db.dataSource).create(owner.actor, person.id, {
      overallResponsibilityPrincipal: Principal.REGION,
      interventions: members.slice(0, 3).map((m, i) => ({
        description: `intervention ${i}`,
        needId: null,
        responsiblePrincipal: m.actor.principal === Principal.OTHER ? Principal.REGION : m.actor.principal,
        responsibleOrganisationId:
          m.actor.principal === Principal.OTHER ? owner.actor.organisationId : m.actor.organisationId,
        responsibleUnitId: null,
        status: 'PLANNED' as never,
      })),
    });
    return person;
  }

  it('the patient overview costs the same for a group of 2 and of 8, with 1 or 30 contacts', async () => {
    const { municipality, psychiatry, socialWorker, psychiatrist } = await f.careSetting();
    const others: TestStaff[] = [];
    for (let i = 0; i < 6; i++) others.push(await f.staff(i % 2 ? municipality : psychiatry, 'NURSE' as never));
    const small = await personWith(socialWorker, [psychiatrist], 1);
    const large = await personWith(socialWorker, [psychiatrist, ...others], 30);
    const token = await api.login(socialWorker.username, socialWorker.password);

    const smallCount = await statementsOf(OVERVIEW, { id: small.id }, token);
    const largeCount = await statementsOf(OVERVIEW, { id: large.id }, token);
    // Loaders cache within a request, so a larger set can even save a statement; it must never add one.
    expect(largeCount).toBeLessThanOrEqual(smallCount);
    // The session, the access decision (and its log entry), the overview's parts in one statement
    // (OverviewQueries.bundle), and the one part this query asks for beyond them: the relatives.
    expect(smallCount).toBeLessThanOrEqual(4);
  });

  it('a caseload of 50 persons costs the same as a caseload of 5', async () => {
    const { socialWorker: fewOwner, psychiatrist } = await f.careSetting();
    const { socialWorker: manyOwner } = await f.careSetting();
    for (let i = 0; i < 4; i++) await personWith(fewOwner, [psychiatrist], 3);
    for (let i = 0; i < 49; i++) await personWith(manyOwner, [psychiatrist], 3);
    const fewToken = await api.login(fewOwner.username, fewOwner.password);
    const manyToken = await api.login(manyOwner.username, manyOwner.password);

    const few = await api.gql<any>(CASELOAD, { first: 100 }, fewToken);
    const many = await api.gql<any>(CASELOAD, { first: 100 }, manyToken);
    expect(few.data.caseload.edges).toHaveLength(5);
    expect(many.data.caseload.edges).toHaveLength(50);

    const fewCount = await statementsOf(CASELOAD, { first: 100 }, fewToken);
    const manyCount = await statementsOf(CASELOAD, { first: 100 }, manyToken);
    expect(manyCount).toBeLessThanOrEqual(fewCount);
    expect(manyCount).toBeLessThanOrEqual(10);
  });
});
