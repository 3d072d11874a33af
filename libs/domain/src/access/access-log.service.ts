import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { DomainError } from '../errors/domain-error';
import { validateAnyIdentityNumber } from '../identity/identity-number';
import { CheckpointFile } from './access-log-checkpoint';
import { sql } from '../database/sql';

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
  /** An auditor read or marked a review item about the person (emergency access, protection change, episode ending). */
  REVIEW = 'REVIEW',
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
  /** The systematic review of this entry, when an auditor has marked it reviewed. */
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

/** What is wrong with the chain, as a code each client words in its language (the English below is for the command line). */
export enum ChainProblemCode {
  UNKEYED_AFTER_KEYED = 'UNKEYED_AFTER_KEYED',
  ENTRY_CHANGED = 'ENTRY_CHANGED',
  START_MISSING = 'START_MISSING',
  START_BREAKS_ANCHOR = 'START_BREAKS_ANCHOR',
  GAP = 'GAP',
  PREDECESSOR_MISMATCH = 'PREDECESSOR_MISMATCH',
  ANCHOR_FORGED = 'ANCHOR_FORGED',
  ANCHOR_BACKDATED = 'ANCHOR_BACKDATED',
  ANCHOR_UNKEYED = 'ANCHOR_UNKEYED',
  END_REMOVED = 'END_REMOVED',
  BEYOND_HEAD = 'BEYOND_HEAD',
  HEAD_MISSING = 'HEAD_MISSING',
  CHECKPOINT_FORGED = 'CHECKPOINT_FORGED',
  ENDS_BEFORE_CHECKPOINT = 'ENDS_BEFORE_CHECKPOINT',
  CHECKPOINTED_ENTRY_CHANGED = 'CHECKPOINTED_ENTRY_CHANGED',
  ANCHOR_REMOVED_RECENT = 'ANCHOR_REMOVED_RECENT',
}

/** The parameters a problem names: a checkpoint's time or its line in the checkpoint file. */
export interface ChainProblemParams {
  at?: string;
  line?: number;
}

const CHAIN_PROBLEM_TEXT: Record<ChainProblemCode, (p: ChainProblemParams) => string> = {
  UNKEYED_AFTER_KEYED: () => 'the entry carries an unkeyed hash after keyed sealing began (the chain was recomputed)',
  ENTRY_CHANGED: () => 'the entry was changed after sealing (its hash does not match its content and the key)',
  START_MISSING: () => 'entries before this one are missing (the chain does not start at the retention anchor)',
  START_BREAKS_ANCHOR: () => 'the first entry does not continue the retention anchor',
  GAP: () => 'entries are missing before this one (a gap in the chain)',
  PREDECESSOR_MISMATCH: () => "the entry does not name its predecessor's hash (an entry was inserted or replaced)",
  ANCHOR_FORGED: () => 'the retention anchor was not made by retention (its MAC does not match the key)',
  ANCHOR_BACKDATED: () => 'the retention anchor names an entry sealed less than five years ago (a back-dated anchor)',
  ANCHOR_UNKEYED: () =>
    'the retention anchor carries no MAC but keyed entries follow it (it was not made by retention)',
  END_REMOVED: () => 'the last sealed entry is missing or changed (the end of the chain was removed)',
  BEYOND_HEAD: () => 'entries beyond the recorded head of the chain (sealed outside the sealer)',
  HEAD_MISSING: () => 'sealed entries exist but the head of the chain is missing',
  CHECKPOINT_FORGED: (p) => `checkpoint line ${p.line} was altered or forged (its MAC does not match the key)`,
  ENDS_BEFORE_CHECKPOINT: (p) =>
    `the chain ends before the head checkpointed at ${p.at} (entries were removed from its end)`,
  CHECKPOINTED_ENTRY_CHANGED: (p) =>
    `the entry checkpointed at ${p.at} is missing or its hash changed (the chain was rewritten)`,
  ANCHOR_REMOVED_RECENT: (p) =>
    `the retention anchor removed entries sealed after ${p.at}, less than five years ago (a back-dated anchor)`,
};

export interface ChainProblem {
  chainSeq: string;
  entryId: string | null;
  code: ChainProblemCode;
  params: ChainProblemParams;
  /** The code in English, for the command line (scripts/audit/verify.ts). */
  problem: string;
}

function chainProblem(
  chainSeq: string,
  code: ChainProblemCode,
  params: ChainProblemParams = {},
  entryId: string | null = null,
): ChainProblem {
  return { chainSeq, entryId, code, params, problem: CHAIN_PROBLEM_TEXT[code](params) };
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
    l.role, l.person_id AS "personId", l.action, l.entity, l.ground, l.client_address AS "clientAddress", l.chain_seq IS NOT NULL AS sealed,
    r.reviewed_at AS "reviewedAt", r.reviewed_by AS "reviewedBy", r.finding AS "reviewNote"
  FROM access_log l JOIN staff_member s ON s.id = l.staff_id JOIN organisation o ON o.id = l.organisation_id
  LEFT JOIN access_log_review r ON r.entry_id = l.id`;

/** How many entries one sealing statement chains at most (the rest wait for the next round). */
export const SEAL_BATCH = 5000;
/** Chains up to $1 committed entries with the key $2 (see the keyed-access-log migration); answers how many and the head. */
export const SEAL_SQL = `SELECT sealed, head_seq::text AS "headSeq", encode(head_hash, 'hex') AS "headHash" FROM seal_access_log_keyed($1, $2)`;
/** Names the database in the checkpoint file; asked once per process, at the sealer's first checkpoint. */
const DATABASE_ID_SQL = `SELECT datname || '#' || oid AS id FROM pg_database WHERE datname = current_database()`;
/** Every statement the background sealer runs: no request's statement (the statement-count tests leave them out). */
export const SEALER_STATEMENTS: readonly string[] = [SEAL_SQL, DATABASE_ID_SQL];
/**
 * The sealer checkpoints the head outside the database at most this often (sealPending always does): about
 * 1,440 lines a day under steady use. An owner who truncates the chain can hide at most this much of its end.
 */
export const CHECKPOINT_INTERVAL_MS = 60_000;
/** How many of the newest checkpoints the verifier compares entry by entry (the newest one alone catches a truncated or rewritten chain). */
const CHECKPOINTS_COMPARED = 1000;
const FIVE_YEARS_MS = 1825 * 24 * 3600 * 1000;

/**
 * The access log after it is written (the access policy in libs/auth writes it, in the statement that
 * decides the access): sealing the hash chain, verifying it, the review queries, and retention.
 */
@Injectable()
export class AccessLogService {
  /**
   * The chain's key. Sealing and verification compute the HMAC in the database (pgcrypto) with the key passed
   * as a parameter: sealing then stays one statement that takes its time from the database clock, which the
   * application cannot set; the key is never stored there, so the database alone cannot recompute the chain.
   */
  private readonly key: Buffer;
  private readonly checkpoints: CheckpointFile | null;
  private unrecorded: { seq: string; hash: string } | null = null;
  private lastCheckpointAt = 0;
  private databaseId: string | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'ACCESS_LOG_KEY' | 'ACCESS_LOG_CHECKPOINT_FILE'>,
  ) {
    this.key = Buffer.from(config.ACCESS_LOG_KEY, 'utf8');
    this.checkpoints = config.ACCESS_LOG_CHECKPOINT_FILE
      ? new CheckpointFile(config.ACCESS_LOG_CHECKPOINT_FILE, config.ACCESS_LOG_KEY)
      : null;
  }

  /** Chains up to one batch of committed entries; 0 when none waited or another process was sealing. */
  async sealBatch(): Promise<number> {
    const [row] = await sql<{ sealed: number; headSeq: string; headHash: string }>(this.db, SEAL_SQL, [
      SEAL_BATCH,
      this.key,
    ]);
    const sealed = Number(row.sealed);
    if (sealed > 0) this.unrecorded = { seq: row.headSeq, hash: row.headHash };
    await this.checkpoint(false);
    return sealed;
  }

  /** Records the last head this process sealed in the checkpoint file (at most every CHECKPOINT_INTERVAL_MS unless forced). */
  private async checkpoint(force: boolean): Promise<void> {
    if (!this.checkpoints || !this.unrecorded) return;
    if (!force && Date.now() - this.lastCheckpointAt < CHECKPOINT_INTERVAL_MS) return;
    const head = this.unrecorded;
    this.checkpoints.append({
      database: await this.database(),
      seq: head.seq,
      hash: head.hash,
      at: new Date().toISOString(),
    });
    this.lastCheckpointAt = Date.now();
    if (this.unrecorded === head) this.unrecorded = null;
  }

  private async database(): Promise<string> {
    if (!this.databaseId) {
      const [row] = await sql<{ id: string }>(this.db, DATABASE_ID_SQL);
      this.databaseId = row.id as string;
    }
    return this.databaseId;
  }

  /** Seals until nothing committed is left unsealed (waits for another sealer if one is busy). */
  async sealPending(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sealed = await this.sealBatch();
      if (sealed > 0) continue;
      const [{ n }] = await sql<{ n: number }>(
        this.db,
        `SELECT count(*)::int AS n FROM access_log WHERE chain_seq IS NULL`,
      );
      if (n === 0) return this.checkpoint(true);
      if (Date.now() > deadline) throw new Error(`access log: ${n} entries still unsealed after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Checks the whole chain in one pass: each entry's keyed hash must match its predecessor's hash and its
   * own content (an edited row fails; so does a rewritten chain, which cannot be recomputed without the key),
   * each entry must follow its predecessor's place with no gap and name its hash (a deleted or inserted row
   * fails), the chain must start at a retention anchor made by retention, and the head recorded at the last
   * sealing must still be there. Then the checkpoints outside the database: a chain that ends before a
   * checkpointed head (truncation), an entry whose checkpointed hash changed, and a retention anchor past a
   * checkpoint less than five years old (back-dated anchor) all fail. `now` is the verifier's clock.
   */
  async verify(limit = 100, now: Date = new Date()): Promise<ChainReport> {
    const found = await sql<{ chainSeq: string; entryId: string; code: ChainProblemCode }>(
      this.db,
      `WITH anchor AS (SELECT chain_seq, hash FROM access_log_anchor ORDER BY chain_seq DESC LIMIT 1),
       chain AS (
         SELECT e.chain_seq, e.id, e.prev_hash, e.hash, e.key_version,
                CASE WHEN e.key_version = 1 THEN hmac(coalesce(e.prev_hash, '\\x'::bytea) || access_log_content_v1(e), $2, 'sha256')
                     WHEN e.key_version IS NULL THEN sha256(coalesce(e.prev_hash, '\\x'::bytea) || access_log_content(e, e.chain_seq)) END AS computed,
                max(e.key_version) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS keyed_before,
                lag(e.chain_seq) OVER w AS prior_seq, lag(e.hash) OVER w AS prior_hash,
                row_number() OVER w AS n
           FROM access_log e WHERE e.chain_seq IS NOT NULL WINDOW w AS (ORDER BY e.chain_seq))
       SELECT chain_seq::text AS "chainSeq", id::text AS "entryId",
              CASE WHEN key_version IS NULL AND keyed_before IS NOT NULL THEN 'UNKEYED_AFTER_KEYED'
                   WHEN hash IS DISTINCT FROM computed THEN 'ENTRY_CHANGED'
                   WHEN n = 1 AND chain_seq <> coalesce((SELECT chain_seq FROM anchor), 0) + 1 THEN 'START_MISSING'
                   WHEN n = 1 AND prev_hash IS DISTINCT FROM coalesce((SELECT hash FROM anchor), '\\x'::bytea) THEN 'START_BREAKS_ANCHOR'
                   WHEN n > 1 AND chain_seq <> prior_seq + 1 THEN 'GAP'
                   ELSE 'PREDECESSOR_MISMATCH' END AS code
         FROM chain
        WHERE hash IS DISTINCT FROM computed
           OR (key_version IS NULL AND keyed_before IS NOT NULL)
           OR (n = 1 AND (chain_seq <> coalesce((SELECT chain_seq FROM anchor), 0) + 1 OR prev_hash IS DISTINCT FROM coalesce((SELECT hash FROM anchor), '\\x'::bytea)))
           OR (n > 1 AND (chain_seq <> prior_seq + 1 OR prev_hash IS DISTINCT FROM prior_hash))
        ORDER BY chain_seq LIMIT $1`,
      [limit, this.key],
    );
    const problems = found.map((f) => chainProblem(f.chainSeq, f.code, {}, f.entryId));
    const [counts] = await sql<{ sealed: number; unsealed: number; lastSeq: string | null }>(
      this.db,
      `SELECT count(*) FILTER (WHERE chain_seq IS NOT NULL)::int AS sealed, count(*) FILTER (WHERE chain_seq IS NULL)::int AS unsealed,
              max(chain_seq)::text AS "lastSeq" FROM access_log`,
    );
    const [anchor] = await sql<{
      seq: string;
      hash: string;
      sealedAt: Date;
      hasMac: boolean;
      macOk: boolean | null;
      nextVersion: number | null;
    }>(
      this.db,
      `SELECT a.chain_seq::text AS seq, encode(a.hash, 'hex') AS hash, a.sealed_at AS "sealedAt", a.mac IS NOT NULL AS "hasMac",
              a.mac = hmac(access_log_anchor_content(a.chain_seq, a.hash, a.sealed_at), $1, 'sha256') AS "macOk",
              (SELECT e.key_version FROM access_log e WHERE e.chain_seq = a.chain_seq + 1) AS "nextVersion"
         FROM access_log_anchor a ORDER BY a.chain_seq DESC LIMIT 1`,
      [this.key],
    );
    if (anchor?.hasMac && !anchor.macOk) {
      problems.push(chainProblem(anchor.seq, ChainProblemCode.ANCHOR_FORGED));
    } else if (anchor?.hasMac && now.getTime() - new Date(anchor.sealedAt).getTime() < FIVE_YEARS_MS) {
      problems.push(chainProblem(anchor.seq, ChainProblemCode.ANCHOR_BACKDATED));
    } else if (anchor && !anchor.hasMac && anchor.nextVersion === 1) {
      problems.push(chainProblem(anchor.seq, ChainProblemCode.ANCHOR_UNKEYED));
    }
    const [head] = await sql<{ seq: string; hash: string }>(
      this.db,
      `SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM access_log_head`,
    );
    if (head) {
      const [atHead] = await sql<{ hash: string }>(
        this.db,
        `SELECT encode(hash, 'hex') AS hash FROM access_log WHERE chain_seq = $1`,
        [head.seq],
      );
      const purgedAtHead = anchor && anchor.seq === head.seq && anchor.hash === head.hash;
      if (!purgedAtHead && (!atHead || atHead.hash !== head.hash)) {
        problems.push(chainProblem(head.seq, ChainProblemCode.END_REMOVED));
      }
      if (counts.lastSeq !== null && BigInt(counts.lastSeq) > BigInt(head.seq)) {
        problems.push(chainProblem(counts.lastSeq, ChainProblemCode.BEYOND_HEAD));
      }
    } else if (counts.sealed > 0 && counts.lastSeq !== null) {
      problems.push(chainProblem(counts.lastSeq, ChainProblemCode.HEAD_MISSING));
    }
    problems.push(...(await this.checkCheckpoints(BigInt(anchor?.seq ?? 0), BigInt(counts.lastSeq ?? 0), now)));
    return {
      ok: problems.length === 0,
      sealed: counts.sealed,
      unsealed: counts.unsealed,
      headSeq: head?.seq ?? null,
      headHash: head?.hash ?? null,
      problems,
    };
  }

  /** The chain against the checkpoints recorded outside the database (none when no checkpoint file is configured). */
  private async checkCheckpoints(anchorSeq: bigint, lastSeq: bigint, now: Date): Promise<ChainProblem[]> {
    if (!this.checkpoints) return [];
    const problems: ChainProblem[] = [];
    const lines = this.checkpoints.read();
    for (const { line } of lines.filter((l) => !l.checkpoint)) {
      problems.push(chainProblem('-', ChainProblemCode.CHECKPOINT_FORGED, { line }));
    }
    const database = await this.database();
    const mine = lines.flatMap((l) => (l.checkpoint && l.checkpoint.database === database ? [l.checkpoint] : []));
    if (mine.length === 0) return problems;
    const highest = mine.reduce((a, b) => (BigInt(b.seq) > BigInt(a.seq) ? b : a));
    if (BigInt(highest.seq) > lastSeq) {
      problems.push(chainProblem(highest.seq, ChainProblemCode.ENDS_BEFORE_CHECKPOINT, { at: highest.at }));
    }
    const kept = mine
      .filter((c) => BigInt(c.seq) > anchorSeq && BigInt(c.seq) <= lastSeq)
      .sort((a, b) => (BigInt(b.seq) > BigInt(a.seq) ? 1 : -1))
      .slice(0, CHECKPOINTS_COMPARED);
    const rows: { seq: string; hash: string }[] = kept.length
      ? await sql<{ seq: string; hash: string }>(
          this.db,
          `SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM access_log WHERE chain_seq = ANY($1::bigint[])`,
          [[...new Set(kept.map((c) => c.seq))]],
        )
      : [];
    const hashes = new Map(rows.map((r) => [r.seq, r.hash]));
    for (const c of kept.filter((c) => hashes.get(c.seq) !== c.hash)) {
      problems.push(chainProblem(c.seq, ChainProblemCode.CHECKPOINTED_ENTRY_CHANGED, { at: c.at }));
    }
    const recentBelowAnchor = mine.filter(
      (c) => BigInt(c.seq) < anchorSeq && now.getTime() - Date.parse(c.at) < FIVE_YEARS_MS,
    );
    if (recentBelowAnchor.length) {
      const latest = recentBelowAnchor.reduce((a, b) => (b.at > a.at ? b : a));
      problems.push(chainProblem(anchorSeq.toString(), ChainProblemCode.ANCHOR_REMOVED_RECENT, { at: latest.at }));
    }
    return problems;
  }

  /** The person's log extract: which organisations and staff looked at the person's data, what and when. */
  async forPerson(personId: string, range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    return this.rows(`l.person_id = $1`, [personId], range, page);
  }

  /** Everything one staff member looked at. */
  async forStaff(staffId: string, range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    return this.rows(`l.staff_id = $1`, [staffId], range, page);
  }

  /**
   * The persons who hold an identity number now or held it before (a number can change): whom a person asking
   * for their log extract is in the register. Any accepted form of a personnummer, samordningsnummer or
   * reserve number; an invalid one is refused at its field.
   */
  async personsHolding(identityNumber: string): Promise<string[]> {
    const check = validateAnyIdentityNumber(identityNumber.trim());
    if (!check.valid) throw DomainError.invalid('identityNumber', `Not a valid identity number: ${check.reason}`);
    const rows = await sql<{ id: string }>(
      this.db,
      `SELECT id FROM person WHERE identity_number = $1 UNION SELECT person_id FROM person_identity_history WHERE identity_number = $1`,
      [check.normalized],
    );
    return rows.map((r) => r.id);
  }

  /** The entries of the persons who hold (or once held) an identity number: the extract a person asks for by their number. */
  async forIdentityNumber(personIds: readonly string[], range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    return this.rows(`l.person_id = ANY($1::uuid[])`, [personIds], range, page);
  }

  /**
   * A random sample of entries in a period, for the systematic log checks. With a seed the sample is
   * repeatable (the same seed and period draw the same entries), so a sample can be reviewed over days.
   */
  async sample(size: number, range: DateRange, seed?: string | null): Promise<AccessLogRow[]> {
    if (!Number.isInteger(size) || size < 1 || size > 500)
      throw DomainError.invalid('size', 'A sample holds 1 to 500 entries');
    if (seed != null && !/^[A-Za-z0-9-]{1,64}$/.test(seed))
      throw DomainError.invalid('seed', 'A seed is 1 to 64 letters, digits or dashes');
    const { where, params } = rangeFilter(range, 1);
    const order = seed != null ? `md5(l.id::text || $${params.push(seed)}), l.id` : 'random()';
    return sql<AccessLogRow>(this.db, `${ROW_SELECT} WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1}`, [
      ...params,
      size,
    ]);
  }

  /** One entry, or null. */
  async entry(id: string): Promise<AccessLogRow | null> {
    if (!/^[0-9]{1,18}$/.test(id)) throw DomainError.invalid('entryId', 'Not an access-log entry id');
    const [row] = await sql<AccessLogRow>(this.db, `${ROW_SELECT} WHERE l.id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Marks an entry reviewed in the systematic log check, with what was found (once; the review is never
   * changed). The time is the database's clock.
   */
  async review(reviewerId: string, entryId: string, finding: string | null): Promise<AccessLogRow> {
    if (!(await this.entry(entryId))) throw DomainError.notFound('access-log entry');
    const inserted = await sql<{ entry_id: string }>(
      this.db,
      `INSERT INTO access_log_review (entry_id, reviewed_by, finding) VALUES ($1, $2, $3) ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id`,
      [entryId, reviewerId, finding?.trim() || null],
    );
    if (inserted.length === 0) throw DomainError.invalidState('The entry is already reviewed');
    return (await this.entry(entryId))!;
  }

  private async rows(condition: string, params: unknown[], range: DateRange, page: LogPage): Promise<AccessLogRow[]> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 500)
      throw DomainError.invalid('first', 'Ask for 1 to 500 entries');
    if (page.beforeId !== undefined && page.beforeId !== null && !/^[0-9]{1,18}$/.test(page.beforeId)) {
      throw DomainError.invalid('beforeId', 'Not an access-log entry id');
    }
    const filter = rangeFilter(range, params.length + 1);
    const all = [...params, ...filter.params];
    const before = page.beforeId ? ` AND l.id < $${all.push(page.beforeId)}` : '';
    return sql<AccessLogRow>(
      this.db,
      `${ROW_SELECT} WHERE ${condition} AND ${filter.where}${before} ORDER BY l.id DESC LIMIT $${all.push(page.first)}`,
      all,
    );
  }

  /**
   * Retention: removes entries sealed more than `days` days ago (at least five years) by the database clock,
   * never by a row's own date. Only a sealed prefix of the chain is removed, and first its last entry is
   * recorded (with a MAC) as the anchor the remaining chain starts from, so verification still holds; the
   * application role can do this only through the owner's purge_access_log function.
   */
  async purgeOlderThan(days: number): Promise<number> {
    await this.sealPending();
    const [row] = await sql<{ removed: string }>(this.db, `SELECT purge_access_log($1, $2)::text AS removed`, [
      days,
      this.key,
    ]);
    return Number(row.removed);
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
