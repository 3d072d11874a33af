import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { today } from '../../../libs/domain/src/time';
import { auditDischarges } from '../interleavings';
import { Category, CATEGORIES, Role, ROLES, World } from './world';

/**
 * The four guarantees of issue 10, checked from the outside: every response is scanned for the planted
 * secrets, and the database is read through a superuser connection (the application's own role may be
 * narrower, and must not be trusted to report on itself).
 *
 *   G1  no discharge without the collaboration group's agreement, and no membership change that bends it
 *   G2  a protected person's whereabouts reach only authorised staff; the protection level changes only
 *       by authorised staff of the home principal
 *   G3  what a consent withholds from an organisation never reaches its staff
 *   G4  every access is logged, and the log is never changed or cut
 */

/** Roles that never get care data, by any route: they see no category of a person's data at all. */
export const NO_CARE_ROLES: ReadonlySet<Role> = new Set(['administrator', 'auditor', 'integration']);
/** Roles with a place in the person's group from the start (a place one gives oneself does not count). */
const RELATED_ROLES: ReadonlySet<Role> = new Set(['own', 'other', 'otherNoConsent', 'ngo']);
const ALL_CATEGORIES = new Set<Category>(CATEGORIES);

export type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

export function superuserQuery(client: Client): Query {
  return async (sql, params) => (await client.query(sql, params as unknown[])).rows;
}

interface MemberRow {
  id: string;
  kind: 'group' | 'act-team' | 'act-client';
  staff_id: string | null;
  organisation_id: string | null;
  valid_from: string;
  valid_to: string | null;
  voting: boolean | null;
}

interface CallSnapshot {
  day: string;
  protectedIdentity: string;
  coordinator: string | null;
  members: Map<string, MemberRow>;
  actorWasMember: boolean;
  actorWhereaboutsAuthorised: boolean;
  loggedForActor: number;
  consents: string;
  episodes: Map<string, { organisation_id: string; status: string }>;
}

export interface LogSnapshot {
  maxId: string;
  count: number;
  content: string;
  maxSeq: string;
  chain: string;
}

/** What the observer knows about the world as the sequence goes on (legitimate changes move it). */
interface Baseline {
  /** Whereabouts are scanned for while the protection stands or was lifted by someone not allowed to. */
  protectedNow: boolean;
  withheld: Record<Role, Set<Category>>;
}

export class Observer {
  readonly violations: string[] = [];
  readonly steps: string[] = [];
  /** Every step's outcome, to tell that the sequence did something. */
  readonly outcomes: Array<{ role: Role; mutation: string; ok: boolean; codes: string[] }> = [];
  private readonly seen = new Set<string>();
  private baseline!: Baseline;
  private personEntityIds = new Set<string>();
  private log!: LogSnapshot;
  private dischargeRequested = false;

  constructor(
    private readonly q: Query,
    private readonly world: World,
    private readonly name: string,
  ) {}

  private startedAt = new Date();
  /** Care staff with emergency access to the person (opened in the world, or by a step). */
  private readonly emergencyOpen = new Set<Role>(['emergency']);

  async start(): Promise<void> {
    this.startedAt = new Date((await this.q(`SELECT now() AS now`))[0].now);
    this.baseline = { protectedNow: true, withheld: await this.withheldNow() };
    this.personEntityIds = await this.entityIds();
    this.log = await logSnapshot(this.q);
  }

  /** The categories withheld from each role now, from the consents in force (see README: consent). */
  private async withheldNow(): Promise<Record<Role, Set<Category>>> {
    const day = today();
    const consents: Array<{
      scope: string;
      organisation_ids: string[];
      limitations: Array<{ organisationId: string; category: Category }>;
    }> = await this.q(
      `SELECT scope, organisation_ids::text[] AS organisation_ids, limitations FROM consent
        WHERE person_id = $1 AND withdrawn_at IS NULL AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to >= $2::date)`,
      [this.world.personId, day],
    );
    const out = {} as Record<Role, Set<Category>>;
    for (const role of ROLES) {
      const actor = this.world.actors[role];
      // What a limitation withholds from the organisation holds by every route, emergency access included.
      const limited = new Set<Category>(
        consents.flatMap((c) =>
          c.limitations.filter((l) => l.organisationId === actor.organisationId).map((l) => l.category),
        ),
      );
      if (['SIP_PLAN', 'TIMELINE', 'HOUSING', 'FAMILY'].every((c) => limited.has(c as Category)))
        limited.add('UNCLASSIFIED');
      const covered =
        actor.principal === this.world.homePrincipal ||
        consents.some((c) => c.scope === 'WHOLE_GROUP' || c.organisation_ids.includes(actor.organisationId));
      if (NO_CARE_ROLES.has(role)) out[role] = new Set(ALL_CATEGORIES);
      else if (this.emergencyOpen.has(role)) out[role] = limited;
      else if (!RELATED_ROLES.has(role) || !covered) out[role] = new Set(ALL_CATEGORIES);
      else out[role] = limited;
    }
    return out;
  }

  /** The ids of everything that belongs to the person: a call naming one of them touches the person. */
  private personTables?: Promise<Array<{ table_name: string }>>;

  private async entityIds(): Promise<Set<string>> {
    const tables = await (this.personTables ??= this.q(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'person_id'
          AND table_name NOT IN ('access_log') AND EXISTS (SELECT 1 FROM information_schema.columns c2
              WHERE c2.table_schema = 'public' AND c2.table_name = columns.table_name AND c2.column_name = 'id')`,
    ));
    const unions = tables.map((t) => `SELECT id::text FROM ${t.table_name} WHERE person_id = $1`);
    unions.push(
      `SELECT m.id::text FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1`,
    );
    unions.push(
      `SELECT r.id::text FROM discharge_request r JOIN care_episode e ON e.id = r.episode_id WHERE e.person_id = $1`,
    );
    const rows: Array<{ id: string }> = await this.q(unions.join(' UNION ALL '), [this.world.personId]);
    return new Set([this.world.personId, ...rows.map((r) => r.id)]);
  }

  private async members(): Promise<Map<string, MemberRow>> {
    const rows: MemberRow[] = await this.q(
      `SELECT m.id::text, 'group' AS kind, m.staff_id::text, s.organisation_id::text, m.valid_from::text, m.valid_to::text, m.voting_representative AS voting
         FROM group_member m JOIN staff_member s ON s.id = m.staff_id WHERE m.group_id = $1
       UNION ALL
       SELECT m.id::text, 'act-team', m.staff_id::text, s.organisation_id::text, m.valid_from::text, m.valid_to::text, NULL
         FROM act_team_member m JOIN staff_member s ON s.id = m.staff_id WHERE m.team_id = $2 OR m.staff_id = ANY($3::uuid[])
       UNION ALL
       SELECT c.id::text, 'act-client', NULL, NULL, c.valid_from::text, c.valid_to::text, NULL FROM act_team_client c WHERE c.person_id = $4`,
      [this.world.groupId, this.world.teamId, ROLES.map((r) => this.world.actors[r].staffId), this.world.personId],
    );
    return new Map(rows.map((r) => [`${r.kind}:${r.id}`, r]));
  }

  async before(role: Role): Promise<CallSnapshot> {
    const actor = this.world.actors[role];
    const [row] = await this.q(
      `SELECT p.protected_identity AS "protectedIdentity", g.coordinator_staff_id::text AS coordinator,
              (SELECT whereabouts_authorised FROM staff_member WHERE id = $2) AS "actorWhereaboutsAuthorised",
              (SELECT count(*)::int FROM access_log WHERE person_id = $1 AND staff_id = $2) AS "loggedForActor",
              (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY c.id), '')) FROM consent c WHERE c.person_id = $1) AS consents
         FROM person p JOIN collaboration_group g ON g.person_id = p.id WHERE p.id = $1`,
      [this.world.personId, actor.staffId],
    );
    const members = await this.members();
    const episodes: Array<{ id: string; organisation_id: string; status: string }> = await this.q(
      `SELECT id::text, organisation_id::text, status FROM care_episode WHERE person_id = $1`,
      [this.world.personId],
    );
    const day = today();
    const actorWasMember = [...members.values()].some(
      (m) =>
        m.kind === 'group' &&
        m.staff_id === actor.staffId &&
        m.valid_from <= day &&
        (m.valid_to === null || m.valid_to >= day),
    );
    return { ...row, day, members, actorWasMember, episodes: new Map(episodes.map((e) => [e.id, e])) };
  }

  /** Records a violation once per `key` (by default the evidence itself). */
  private report(guarantee: string, role: Role, evidence: string, key = evidence): void {
    key = `${guarantee}|${role}|${key}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const steps =
      this.steps.length > 8 ? [`… ${this.steps.length - 8} earlier steps`, ...this.steps.slice(-8)] : this.steps;
    this.violations.push(
      `${guarantee} violated [${this.name}] as ${role} after: ${steps.join(' → ') || '(the world only)'} — ${evidence}`,
    );
  }

  /** How many access-log entries name the person and the role's staff member. */
  async loggedFor(role: Role): Promise<number> {
    const [row] = await this.q(`SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND staff_id = $2`, [
      this.world.personId,
      this.world.actors[role].staffId,
    ]);
    return row.n;
  }

  /** G4 for a read: an answer that carries the person's data (it names the person) was logged. */
  readLogged(role: Role, what: string, data: unknown, before: number, after: number): void {
    if (data !== null && JSON.stringify(data).includes(this.world.personId) && after <= before) {
      this.report(
        'G4 (every access logged)',
        role,
        `${what} answered about the person but added no access-log entry for the reader`,
        what,
      );
    }
  }

  /** Scans one response to `role` for the secrets it must not see (G2, G3). */
  scan(role: Role, what: string, text: string): void {
    if (this.baseline.protectedNow && !this.world.whereaboutsAuthorised.has(role)) {
      for (const s of this.world.whereabouts)
        if (text.includes(s.value))
          this.report('G2 (whereabouts hidden)', role, `${what} shows the protected person's ${s.label}`, s.label);
    }
    for (const category of this.baseline.withheld[role]) {
      for (const s of this.world.categories[category]) {
        const whose = NO_CARE_ROLES.has(role)
          ? ', a role with no care access'
          : `, withheld from this organisation${this.emergencyOpen.has(role) ? ' (under emergency access)' : ''}`;
        if (text.includes(s.value))
          this.report('G3 (limitations kept)', role, `${what} shows the ${s.label} (${category}${whose})`, s.label);
      }
    }
  }

  /** After one mutation: the per-call checks of G1, G2 and G4, and the response scanned. */
  async after(
    role: Role,
    mutation: string,
    variables: Record<string, unknown>,
    response: { data: unknown; errors?: unknown[] },
    was: CallSnapshot,
  ): Promise<void> {
    const ok = !response.errors?.length && response.data !== null;
    const codes = ((response.errors ?? []) as Array<{ extensions?: { code?: string } }>).map(
      (e) => e.extensions?.code ?? '?',
    );
    this.steps.push(`${mutation} as ${role} [${ok ? 'ok' : codes.join(',')}]`);
    this.outcomes.push({ role, mutation, ok, codes });
    if (mutation === 'requestDischarge' && ok) this.dischargeRequested = true;
    const actor = this.world.actors[role];
    const now = await this.before(role);

    // G2: the protection level, and who may see whereabouts.
    if (now.protectedIdentity !== was.protectedIdentity) {
      const allowed = actor.principal === this.world.homePrincipal && this.world.whereaboutsAuthorised.has(role);
      if (!allowed)
        this.report(
          'G2 (protection level)',
          role,
          `${mutation} changed the protection level ${was.protectedIdentity} → ${now.protectedIdentity}`,
        );
      else if (now.protectedIdentity === 'NONE') this.baseline.protectedNow = false;
    }
    if (now.actorWhereaboutsAuthorised && !was.actorWhereaboutsAuthorised)
      this.report(
        'G2 (whereabouts authorisation)',
        role,
        `${mutation} made the caller authorised to see protected whereabouts (a self-grant)`,
      );

    // G1: membership never back-dated, never changed from outside the group, a dissenter never removed by another organisation.
    const dissenters = new Set<string>(
      (
        await this.q(
          `SELECT DISTINCT v.staff_id::text FROM vote_event v JOIN proposal p ON p.id = v.proposal_id WHERE p.person_id = $1 AND p.type = 'DISCHARGE' AND v.choice = 'DISAGREE'`,
          [this.world.personId],
        )
      ).map((r) => r.staff_id),
    );
    let groupChanged = now.coordinator !== was.coordinator;
    for (const [key, m] of now.members) {
      const old = was.members.get(key);
      const label = `${m.kind} membership ${m.id.slice(0, 8)}`;
      if (!old) {
        if (m.kind === 'group') groupChanged = true;
        if (m.valid_from < was.day)
          this.report(
            'G1 (membership never back-dated)',
            role,
            `${mutation} wrote ${label} starting ${m.valid_from}, before the day it was written (${was.day})`,
          );
        if (m.valid_to !== null && m.valid_to < was.day)
          this.report(
            'G1 (membership never back-dated)',
            role,
            `${mutation} wrote ${label} ending ${m.valid_to}, before the day it was written (${was.day})`,
          );
        continue;
      }
      if (old.valid_from !== m.valid_from || old.valid_to !== m.valid_to || old.voting !== m.voting) {
        if (m.kind === 'group') groupChanged = true;
        if (old.valid_from !== m.valid_from)
          this.report(
            'G1 (membership never back-dated)',
            role,
            `${mutation} moved the start of ${label} ${old.valid_from} → ${m.valid_from}`,
          );
        if (old.valid_to !== m.valid_to && m.valid_to !== null && m.valid_to < was.day) {
          this.report(
            'G1 (membership never back-dated)',
            role,
            `${mutation} ended ${label} on ${m.valid_to}, before the day it was written (${was.day})`,
          );
        }
        if (
          m.kind === 'group' &&
          old.valid_to !== m.valid_to &&
          m.staff_id &&
          dissenters.has(m.staff_id) &&
          m.organisation_id !== actor.organisationId
        ) {
          this.report(
            'G1 (dissenter kept)',
            role,
            `${mutation} ended the membership of a member who voted DISAGREE on a discharge, from another organisation`,
          );
        }
      }
    }
    // G1: what counts as ended: each organisation ends only its own episode, and only from inside the group.
    for (const [id, e] of now.episodes) {
      const old = was.episodes.get(id);
      if (!old || old.status === e.status || old.status !== 'ACTIVE') continue;
      if (e.organisation_id !== actor.organisationId)
        this.report(
          'G1 (episodes end only by their organisation)',
          role,
          `${mutation} set another organisation's episode ${id.slice(0, 8)} ${e.status}`,
        );
      else if (!was.actorWasMember)
        this.report(
          'G1 (episodes end only by their organisation)',
          role,
          `${mutation} set episode ${id.slice(0, 8)} ${e.status} without a place in the group`,
        );
    }
    if (groupChanged && !was.actorWasMember)
      this.report(
        'G1 (group changed only from inside)',
        role,
        `${mutation} changed the group's members or coordinator without a place in the group`,
      );

    // G4: a successful call that touched the person is in the access log, with this caller.
    const touched = ok && [...this.personEntityIds].some((id) => JSON.stringify(variables).includes(id));
    if (touched && now.loggedForActor <= was.loggedForActor)
      this.report(
        'G4 (every access logged)',
        role,
        `${mutation} succeeded on the person but added no access-log entry for the caller`,
      );

    // G3: a consent recorded or withdrawn moves what each organisation may see from now on, but nobody
    // widens what their own organisation sees: the caller's organisation keeps what was withheld from it.
    if (now.consents !== was.consents && !NO_CARE_ROLES.has(role)) {
      const fresh = await this.withheldNow();
      for (const r of ROLES) {
        const own = this.world.actors[r].organisationId === actor.organisationId;
        this.baseline.withheld[r] = own ? new Set([...this.baseline.withheld[r], ...fresh[r]]) : fresh[r];
      }
    }
    // Emergency access opened by care staff lawfully opens the person's data (not the whereabouts) to them.
    if (
      mutation === 'openEmergencyAccess' &&
      ok &&
      JSON.stringify(variables).includes(this.world.personId) &&
      !NO_CARE_ROLES.has(role)
    ) {
      this.emergencyOpen.add(role);
      this.baseline.withheld[role] = (await this.withheldNow())[role];
    }

    if (ok) this.personEntityIds = await this.entityIds();
    this.scan(role, `the answer to ${mutation}`, JSON.stringify(response));
  }

  /** A legitimate lift of the protection (by its authorised staff) is put back, so later steps still test something. */
  async restoreProtection(): Promise<void> {
    if (this.baseline.protectedNow) return;
    await restoreProtection(this.q, this.world.personId);
    this.baseline.protectedNow = true;
  }

  /** At the end of a sequence: discharges decided and audited (G1), the log unchanged and verified (G4). */
  async finish(
    verify: () => Promise<{ ok: boolean; problems: Array<{ problem: string }> }>,
    waitForDecisions: () => Promise<void>,
  ): Promise<void> {
    if (this.dischargeRequested) await waitForDecisions();
    const episodes: Array<{ id: string }> = await this.q(`SELECT id::text FROM care_episode WHERE person_id = $1`, [
      this.world.personId,
    ]);
    const audit = await auditDischarges(
      { query: this.q } as unknown as DataSource,
      episodes.map((e) => e.id),
    );
    for (const v of [...audit.violations, ...audit.requestProblems])
      this.report('G1 (no discharge without agreement)', 'own', `episode ${v}`);
    const discharged: Array<{ id: string; discharge_decision_id: string | null }> = await this.q(
      `SELECT id::text, discharge_decision_id::text FROM care_episode WHERE person_id = $1 AND status = 'DISCHARGED'`,
      [this.world.personId],
    );
    for (const e of discharged) {
      // The electorate is the voting representatives at opening: each must be an elector, and have agreed.
      const missing = await this.q(
        `SELECT m.staff_id::text FROM proposal p JOIN group_member m ON m.group_id = p.group_id
          WHERE p.id = $1 AND m.voting_representative AND m.valid_from <= (p.opened_at AT TIME ZONE 'Europe/Stockholm')::date
            AND (m.valid_to IS NULL OR m.valid_to >= (p.opened_at AT TIME ZONE 'Europe/Stockholm')::date)
            AND m.created_at <= p.opened_at
            AND NOT EXISTS (SELECT 1 FROM proposal_elector el WHERE el.proposal_id = p.id AND el.staff_id = m.staff_id)`,
        [e.discharge_decision_id],
      ).catch(() => []);
      for (const m of missing)
        this.report(
          'G1 (no discharge without agreement)',
          'own',
          `episode ${e.id} discharged by a decision whose electorate left out voting representative ${m.staff_id}`,
        );
      const dissent = await this.q(
        `SELECT v.staff_id::text, m.valid_to::text FROM vote_event v JOIN proposal p ON p.id = v.proposal_id
           JOIN group_member m ON m.group_id = p.group_id AND m.staff_id = v.staff_id
          WHERE p.episode_id = $1 AND p.type = 'DISCHARGE' AND v.choice = 'DISAGREE' AND m.valid_to IS NOT NULL
            AND m.valid_to < (v.cast_at AT TIME ZONE 'Europe/Stockholm')::date`,
        [e.id],
      );
      for (const d of dissent)
        this.report(
          'G1 (no discharge without agreement)',
          'own',
          `episode ${e.id} discharged after dissenter ${d.staff_id}'s membership was ended ${d.valid_to}, before their DISAGREE vote`,
        );
    }

    // G1: no membership row dated before the day it was written or ended, by any path (the columns where the schema has them).
    for (const table of ['group_member', 'act_team_member', 'act_team_client']) {
      const cols = new Set(
        (
          await this.q(
            `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
            [table],
          )
        ).map((c) => c.column_name),
      );
      const day = (c: string) => `(${c} AT TIME ZONE 'Europe/Stockholm')::date`;
      // Rows written (or ended) during this sequence only: the world's own rows are the fixtures'.
      if (!cols.has('created_at')) continue;
      const conditions = [
        `valid_from < ${day('created_at')}`,
        cols.has('ended_at') ? `valid_to < ${day('ended_at')}` : null,
      ].filter(Boolean);
      const recent = cols.has('ended_at') ? `(created_at > $1 OR ended_at > $1)` : `created_at > $1`;
      const rows = await this.q(
        `SELECT id::text, valid_from::text, valid_to::text FROM ${table} WHERE (${conditions.join(' OR ')}) AND ${recent}`,
        [this.startedAt],
      );
      for (const r of rows)
        this.report(
          'G1 (membership never back-dated)',
          'own',
          `${table} ${r.id.slice(0, 8)} runs ${r.valid_from} to ${r.valid_to ?? '—'}, before the day it was written or ended`,
        );
    }

    for (const problem of await compareLog(this.q, this.log)) this.report('G4 (log intact)', 'own', problem);
    const report = await verify();
    if (!report.ok)
      this.report('G4 (log intact)', 'own', `the verifier reports ${report.problems.map((p) => p.problem).join('; ')}`);
  }
}

/**
 * The access log before a sequence: the rows up to the last id, their content (without the columns the
 * sealer fills in once), and the chain as far as it was sealed.
 */
export async function logSnapshot(q: Query): Promise<LogSnapshot> {
  const columns = await contentColumns(q);
  const [row] = await q(
    `WITH last AS (SELECT coalesce(max(id), 0) AS id, coalesce(max(chain_seq), 0) AS seq FROM access_log)
     SELECT (SELECT id FROM last)::text AS "maxId", (SELECT seq FROM last)::text AS "maxSeq",
            (SELECT count(*)::int FROM access_log WHERE id <= (SELECT id FROM last)) AS count,
            (SELECT md5(coalesce(string_agg(${columns}, '|' ORDER BY id), '')) FROM access_log l WHERE id <= (SELECT id FROM last)) AS content,
            (SELECT md5(coalesce(string_agg(chain_seq::text || ':' || encode(hash, 'hex'), '|' ORDER BY chain_seq), '')) FROM access_log WHERE chain_seq <= (SELECT seq FROM last)) AS chain`,
  );
  return row;
}

async function contentColumns(q: Query): Promise<string> {
  const cols: Array<{ column_name: string }> = await q(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'access_log' ORDER BY ordinal_position`,
  );
  // The sealer's columns (place, hashes, keyed MACs) are filled in once after the insert; the rest never changes.
  const content = cols.map((c) => c.column_name).filter((c) => !/chain|hash|seal|mac|sig|key/.test(c));
  return `concat_ws(',', ${content.map((c) => `l.${c}::text`).join(', ')})`;
}

export async function compareLog(q: Query, before: LogSnapshot): Promise<string[]> {
  const columns = await contentColumns(q);
  const [now] = await q(
    `SELECT (SELECT count(*)::int FROM access_log WHERE id <= $1) AS count,
            (SELECT md5(coalesce(string_agg(${columns}, '|' ORDER BY id), '')) FROM access_log l WHERE id <= $1) AS content,
            (SELECT md5(coalesce(string_agg(chain_seq::text || ':' || encode(hash, 'hex'), '|' ORDER BY chain_seq), '')) FROM access_log WHERE chain_seq <= $2) AS chain`,
    [before.maxId, before.maxSeq],
  );
  const problems: string[] = [];
  if (now.count !== before.count)
    problems.push(`access-log rows written before the sequence: ${before.count} then, ${now.count} now (rows deleted)`);
  else if (now.content !== before.content) problems.push('an access-log row written before the sequence was changed');
  if (now.chain !== before.chain) problems.push('the sealed chain as it stood before the sequence was changed');
  return problems;
}

/** Sets the world's person protected again (the triggers off: a guard may refuse even the superuser's plain update). */
export async function restoreProtection(q: Query, personId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(personId)) throw new Error('not a person id');
  await q(
    `BEGIN; SET LOCAL session_replication_role = replica; UPDATE person SET protected_identity = 'SKYDDAD_FOLKBOKFORING' WHERE id = '${personId}'; COMMIT`,
  );
}
