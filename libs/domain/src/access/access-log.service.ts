import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error';

export enum AccessAction {
  READ_PERSON = 'READ_PERSON',
  READ_OVERVIEW = 'READ_OVERVIEW',
  READ_CASELOAD = 'READ_CASELOAD',
  READ_PLAN = 'READ_PLAN',
  /** Only that a plan exists and whom to contact (no consent covers the reader). */
  READ_LIMITED = 'READ_LIMITED',
  /** A decision event delivered to a subscriber. */
  READ_EVENT = 'READ_EVENT',
  /** An auditor read the person's access-log extract. */
  READ_ACCESS_LOG = 'READ_ACCESS_LOG',
  WRITE = 'WRITE',
  /** An answer revealed that the person is in the register (e.g. an identity number already held). */
  IDENTITY_MATCH = 'IDENTITY_MATCH',
}

/** Why the access was allowed. */
export enum AccessGround {
  GROUP_MEMBERSHIP = 'GROUP_MEMBERSHIP',
  ACT_TEAM = 'ACT_TEAM',
  CONSENT = 'CONSENT',
  EMERGENCY = 'EMERGENCY',
  LIMITED_VIEW = 'LIMITED_VIEW',
  AUDIT = 'AUDIT',
  /** A check against the register (registering, changing an identity number, finding a person). */
  REGISTER_CHECK = 'REGISTER_CHECK',
}

/** One entry as the review queries show it: ids with the names an auditor needs to read it. */
export interface AccessLogRow {
  id: string;
  occurredAt: Date;
  staffId: string;
  staffName: string;
  organisationId: string;
  organisationName: string;
  role: string;
  personId: string;
  action: string;
  entity: string;
  ground: string;
  clientAddress: string | null;
  sealed: boolean;
}

export interface ChainProblem {
  chainSeq: string;
  entryId: string | null;
  problem: string;
}

export interface ChainReport {
  ok: boolean;
  sealed: number;
  unsealed: number;
  headSeq: string | null;
  headHash: string | null;
  problems: ChainProblem[];
}

const ROW_SELECT = `SELECT l.id::text AS id, l.occurred_at AS "occurredAt", l.staff_id AS "staffId",
    s.given_name || ' ' || s.family_name AS "staffName", l.organisation_id AS "organisationId", o.name AS "organisationName",
    l.role, l.person_id AS "personId", l.action, l.entity, l.ground, l.client_address AS "clientAddress", l.chain_seq IS NOT NULL AS sealed
  FROM access_log l JOIN staff_member s ON s.id = l.staff_id JOIN organisation o ON o.id = l.organisation_id`;

/** How many entries one sealing statement chains at most (the rest wait for the next round). */
export const SEAL_BATCH = 5000;
/** Chains up to $1 committed entries (see the consent-and-audit migration); answers how many. */
export const SEAL_SQL = `SELECT seal_access_log($1) AS n`;

/**
 * The access log after it is written (the access policy in libs/auth writes it, in the statement that
 * decides the access): sealing the hash chain, verifying it, the review queries, and retention.
 */
@Injectable()
export class AccessLogService {
  constructor(private readonly db: DataSource) {}

  /** Chains up to one batch of committed entries; 0 when none waited or another process was sealing. */
  async sealBatch(): Promise<number> {
    const [row] = await this.db.query(SEAL_SQL, [SEAL_BATCH]);
    return Number(row.n);
  }

  /** Seals until nothing committed is left unsealed (waits for another sealer if one is busy). */
  async sealPending(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sealed = await this.sealBatch();
      if (sealed > 0) continue;
      const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM access_log WHERE chain_seq IS NULL`);
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`access log: ${n} entries still unsealed after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Checks the whole chain in one pass: each entry's hash must be the hash of its predecessor's hash and
   * its own content (an edited row fails), each entry must follow its predecessor's place with no gap
   * and name its hash (a deleted or inserted row fails), the chain must start at the retention anchor,
   * and the head recorded at the last sealing must still be there (a deleted tail fails).
   */
  async verify(limit = 100): Promise<ChainReport> {
    const problems: ChainProblem[] = await this.db.query(
      `WITH anchor AS (SELECT chain_seq, hash FROM access_log_anchor ORDER BY chain_seq DESC LIMIT 1),
       chain AS (
         SELECT e.chain_seq, e.id, e.prev_hash, e.hash,
                sha256(coalesce(e.prev_hash, '\\x'::bytea) || access_log_content(e, e.chain_seq)) AS computed,
                lag(e.chain_seq) OVER w AS prior_seq, lag(e.hash) OVER w AS prior_hash,
                row_number() OVER w AS n
           FROM access_log e WHERE e.chain_seq IS NOT NULL WINDOW w AS (ORDER BY e.chain_seq))
       SELECT chain_seq::text AS "chainSeq", id::text AS "entryId",
              CASE WHEN hash IS DISTINCT FROM computed THEN 'the entry was changed after sealing (its hash does not match its content)'
                   WHEN n = 1 AND chain_seq <> coalesce((SELECT chain_seq FROM anchor), 0) + 1 THEN 'entries before this one are missing (the chain does not start at the retention anchor)'
                   WHEN n = 1 AND prev_hash IS DISTINCT FROM coalesce((SELECT hash FROM anchor), '\\x'::bytea) THEN 'the first entry does not continue the retention anchor'
                   WHEN n > 1 AND chain_seq <> prior_seq + 1 THEN 'entries are missing before this one (a gap in the chain)'
                   ELSE 'the entry does not name its predecessor''s hash (an entry was inserted or replaced)' END AS problem
         FROM chain
        WHERE hash IS DISTINCT FROM computed
           OR (n = 1 AND (chain_seq <> coalesce((SELECT chain_seq FROM anchor), 0) + 1 OR prev_hash IS DISTINCT FROM coalesce((SELECT hash FROM anchor), '\\x'::bytea)))
           OR (n > 1 AND (chain_seq <> prior_seq + 1 OR prev_hash IS DISTINCT FROM prior_hash))
        ORDER BY chain_seq LIMIT $1`,
      [limit],
    );
    const [counts] = await this.db.query(
      `SELECT count(*) FILTER (WHERE chain_seq IS NOT NULL)::int AS sealed, count(*) FILTER (WHERE chain_seq IS NULL)::int AS unsealed,
              max(chain_seq)::text AS "lastSeq" FROM access_log`,
    );
    const [head] = await this.db.query(`SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM access_log_head`);
    if (head) {
      const [atHead] = await this.db.query(`SELECT encode(hash, 'hex') AS hash FROM access_log WHERE chain_seq = $1`, [head.seq]);
      const [anchor] = await this.db.query(`SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM access_log_anchor ORDER BY chain_seq DESC LIMIT 1`);
      const purgedAtHead = anchor && anchor.seq === head.seq && anchor.hash === head.hash;
      if (!purgedAtHead && (!atHead || atHead.hash !== head.hash)) {
        problems.push({ chainSeq: head.seq, entryId: null, problem: 'the last sealed entry is missing or changed (the end of the chain was removed)' });
      }
      if (counts.lastSeq !== null && BigInt(counts.lastSeq) > BigInt(head.seq)) {
        problems.push({ chainSeq: counts.lastSeq, entryId: null, problem: 'entries beyond the recorded head of the chain (sealed outside the sealer)' });
      }
    } else if (counts.sealed > 0) {
      problems.push({ chainSeq: counts.lastSeq, entryId: null, problem: 'sealed entries exist but the head of the chain is missing' });
    }
    return { ok: problems.length === 0, sealed: counts.sealed, unsealed: counts.unsealed, headSeq: head?.seq ?? null, headHash: head?.hash ?? null, problems };
  }

  /** The person's log extract: which organisations and staff looked at the person's data, what and when. */
  async forPerson(personId: string, range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    return this.rows(`l.person_id = $1`, [personId], range, page);
  }

  /** Everything one staff member looked at. */
  async forStaff(staffId: string, range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    return this.rows(`l.staff_id = $1`, [staffId], range, page);
  }

  /** A random sample of entries in a period, for the systematic log checks. */
  async sample(size: number, range: DateRange): Promise<AccessLogRow[]> {
    if (!Number.isInteger(size) || size < 1 || size > 500) throw DomainError.invalid('size', 'A sample holds 1 to 500 entries');
    const { where, params } = rangeFilter(range, 1);
    return this.db.query(`${ROW_SELECT} WHERE ${where} ORDER BY random() LIMIT $${params.length + 1}`, [...params, size]);
  }

  private async rows(condition: string, params: unknown[], range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 500) throw DomainError.invalid('first', 'Ask for 1 to 500 entries');
    if (page.beforeId !== undefined && page.beforeId !== null && !/^[0-9]{1,18}$/.test(page.beforeId)) {
      throw DomainError.invalid('beforeId', 'Not an access-log entry id');
    }
    const filter = rangeFilter(range, params.length + 1);
    const all = [...params, ...filter.params];
    const before = page.beforeId ? ` AND l.id < $${all.push(page.beforeId)}` : '';
    return this.db.query(`${ROW_SELECT} WHERE ${condition} AND ${filter.where}${before} ORDER BY l.id DESC LIMIT $${all.push(page.first)}`, all);
  }

  /**
   * Retention: removes entries older than the configured number of days (at least five years). Only a
   * sealed prefix of the chain is removed, and first its last entry is recorded as the anchor the
   * remaining chain starts from, so verification still holds; the database refuses any other deletion.
   */
  async purgeOlderThan(days: number): Promise<number> {
    await this.sealPending();
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('samverka.access_log.purge'))`);
      const [cut] = await tx.query(
        `SELECT (SELECT min(chain_seq) FROM access_log WHERE chain_seq IS NOT NULL AND occurred_at >= now() - make_interval(days => $1)) AS first_kept,
                (SELECT max(chain_seq) FROM access_log) AS last_sealed,
                (SELECT max(chain_seq) FROM access_log_anchor) AS anchored,
                now() - make_interval(days => $1) AS cutoff`,
        [days],
      );
      if (cut.last_sealed === null) return 0;
      const upTo = cut.first_kept !== null ? BigInt(cut.first_kept) - 1n : BigInt(cut.last_sealed);
      if (upTo <= BigInt(cut.anchored ?? 0)) return 0;
      await tx.query(
        `INSERT INTO access_log_anchor (chain_seq, hash, purged_before) SELECT chain_seq, hash, $2 FROM access_log WHERE chain_seq = $1`,
        [upTo.toString(), cut.cutoff],
      );
      const [, affected] = await tx.query(`DELETE FROM access_log WHERE chain_seq <= $1`, [upTo.toString()]);
      return Number(affected ?? 0);
    });
  }
}

export interface DateRange {
  from?: Date | null;
  to?: Date | null;
}

export interface LogPage {
  first: number;
  /** Entries older than this entry id (the last id of the previous page). */
  beforeId?: string | null;
}

function rangeFilter(range: DateRange, firstParam: number): { where: string; params: unknown[] } {
  const parts = ['true'];
  const params: unknown[] = [];
  if (range.from) parts.push(`l.occurred_at >= $${firstParam + params.push(range.from) - 1}`);
  if (range.to) parts.push(`l.occurred_at < $${firstParam + params.push(range.to) - 1}`);
  return { where: parts.join(' AND '), params };
}
