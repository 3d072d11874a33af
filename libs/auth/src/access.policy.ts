import { Inject, Injectable } from '@nestjs/common';
import {
  AccessAction,
  AccessGround,
  accessLogRole,
  CARE_DATA_SCOPES,
  isIntegrationClient,
  activeOn,
  Actor,
  IntegrationScope,
  consentCoversSql,
  ConsentScope,
  DomainError,
  DomainErrorReason,
  OAUTH_SCOPE_OF,
  SharingCategory,
  SharingLimitation,
  today,
  withheldCategories,
  sql,
} from '@samverka/domain';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { DataSource } from 'typeorm';

/**
 * Whose places in the person's group or ACT team give the actor its relation: a staff member's own, or, for an
 * integration client (which acts for its organisation, never as a person), any active staff member's of its organisation.
 */
export type RelationOf = 'staff' | 'organisation';

const STAFF_RELATION = (day: string, staff: string) => `
      EXISTS (SELECT 1 FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
               WHERE g.person_id = p.id AND m.staff_id = ${staff} AND ${activeOn('m', day)}) AS member,
      EXISTS (SELECT 1 FROM act_team_client c JOIN act_team_member tm ON tm.team_id = c.team_id
               WHERE c.person_id = p.id AND tm.staff_id = ${staff} AND ${activeOn('c', day)} AND ${activeOn('tm', day)}) AS team`;

// Service accounts are never placed in a group or team by the domain; excluding them keeps one client from lending another its place.
const ORGANISATION_RELATION = (day: string, organisation: string) => `
      EXISTS (SELECT 1 FROM collaboration_group g JOIN group_member m ON m.group_id = g.id JOIN staff_member s ON s.id = m.staff_id
               WHERE g.person_id = p.id AND s.organisation_id = ${organisation} AND s.active AND NOT s.service_account AND ${activeOn('m', day)}) AS member,
      EXISTS (SELECT 1 FROM act_team_client c JOIN act_team_member tm ON tm.team_id = c.team_id JOIN staff_member s ON s.id = tm.staff_id
               WHERE c.person_id = p.id AND s.organisation_id = ${organisation} AND s.active AND NOT s.service_account
                 AND ${activeOn('c', day)} AND ${activeOn('tm', day)}) AS team`;

/**
 * The one place that decides who may see a person, and on what ground:
 *
 * - a relation: a place in the person's collaboration group or in an ACT team with the person on its
 *   caseload, on the day of the request;
 * - and a right to the content: staff of the person's own principal (the principal of the organisation
 *   that registered the person; for organisations that are no principal, that organisation itself) see
 *   it on the relation alone; staff of the other principal, NGOs and others only while a consent covers
 *   their organisation (not withdrawn, in force, for the whole group while they are in it, or naming
 *   them: enrolling the person on an ACT team gives its other staff no consent). Without one they
 *   get the limited view: that a plan exists and whom to contact.
 * - emergency access (nödåtkomst), opened with a stated reason, gives the content to anyone for a few
 *   hours, logged as EMERGENCY. It reads only: a WRITE (a change to the group, consent, identity,
 *   episodes, plans, ...) is never authorised on it, only on a relation (see `run`). The person's
 *   limitations ("do not share X with Y") hold under it too: an emergency opens no more than a consent would.
 * - auditors and administrators get no care data at all, whatever relation they are given.
 * - an integration client (OAuth client or API key) acts for its organisation: it has a relation to a person
 *   when any active staff member of its organisation has one (a place in the person's group, or on an ACT team
 *   with the person on its caseload), and then the same own-principal, consent and "do not share X with Y" rules
 *   hold for it as for that organisation's staff. Emergency access never applies to it, and a client with no
 *   care-data scope gets nothing. Its accesses are logged with its service account as the actor, role
 *   INTEGRATION_CLIENT. (Which operations it may call at all is its scopes', checked by the AuthGuard.)
 *
 * Every check takes a set of ids and runs one statement that both decides and writes the access-log
 * entries, however many persons a page holds, so no read goes unlogged and nothing is cached: a
 * withdrawn consent or an ended membership counts from the next request (or subscription event).
 */
export const DECIDE_SQL = (
  day: string,
  staff: string,
  organisation: string,
  principal: string,
  refused: string,
  relationOf: RelationOf = 'staff',
) => `
  SELECT p.id,
         CASE WHEN ${refused} THEN NULL
              WHEN (r.member OR r.team) AND r.own THEN CASE WHEN r.member THEN 'GROUP_MEMBERSHIP' ELSE 'ACT_TEAM' END
              WHEN (r.member OR r.team) AND r.consented THEN 'CONSENT'
              WHEN r.emergency THEN 'EMERGENCY'
              WHEN r.member OR r.team THEN 'LIMITED_VIEW' END AS ground,
         r.withheld AS withheld
    FROM unnest($2::uuid[]) AS p(id)
    JOIN person pp ON pp.id = p.id
    JOIN organisation home ON home.id = pp.home_organisation_id
    CROSS JOIN LATERAL (SELECT ${relationOf === 'staff' ? STAFF_RELATION(day, staff) : ORGANISATION_RELATION(day, organisation)}) rel
    CROSS JOIN LATERAL (SELECT rel.member, rel.team,
      (home.id = ${organisation} OR (home.principal <> 'OTHER' AND home.principal = ${principal})) AS own,
      -- A consent to sharing within "the whole group" covers the group's members: a place on an ACT team alone
      -- (enrolment decides no sharing) needs a consent naming the organisation.
      EXISTS (SELECT 1 FROM consent k WHERE k.person_id = p.id AND ${consentCoversSql('k', organisation, day)}
               AND (rel.member OR k.scope <> '${ConsentScope.WHOLE_GROUP}')) AS consented,
      ${relationOf === 'staff' ? `EXISTS (SELECT 1 FROM emergency_access e WHERE e.person_id = p.id AND e.staff_id = ${staff} AND e.expires_at > now())` : 'false'} AS emergency,
      -- "Do not share X with Y": the categories the consents in force withhold from the actor's organisation.
      ARRAY(SELECT DISTINCT l->>'category' FROM consent k, jsonb_array_elements(k.limitations) l
             WHERE k.person_id = p.id AND k.limitations <> '[]'::jsonb AND k.withdrawn_at IS NULL AND k.valid_from <= ${day}
               AND (k.valid_to IS NULL OR k.valid_to >= ${day}) AND l->>'organisationId' = ${organisation}::text) AS withheld
    ) r`;

/**
 * The check and the access-log entries in one statement (one round trip). Parameters: $1 staff, $2 person
 * ids, $3 day, $4 organisation, $5 unit, $6 action, $7 principal, $8 refused (an auditor, administrator, or a client without a care-data scope),
 * $9 role, $10 entity, $11 client address, $12 whether the limited view is being given (then it is logged too).
 */
const authoriseAndLogSql = (relationOf: RelationOf) => `
  WITH decided AS MATERIALIZED (${DECIDE_SQL('$3', '$1', '$4', '$7', '$8', relationOf)}),
  logged AS (
    INSERT INTO access_log (staff_id, organisation_id, unit_id, role, person_id, action, entity, ground, client_address)
    SELECT $1, $4, $5, $9, id, $6, $10, ground, $11 FROM decided
     WHERE ground IS NOT NULL AND (ground <> 'LIMITED_VIEW' OR $12)
       -- A write refused because emergency access only reads (see EMERGENCY_READS_ONLY) is no access.
       AND NOT (ground = 'EMERGENCY' AND $6 = '${AccessAction.WRITE}')
  )
  SELECT id, ground, withheld FROM decided WHERE ground IS NOT NULL`;

export const AUTHORISE_AND_LOG_SQL = authoriseAndLogSql('staff');
/** The same for an integration client: its organisation's relations, no emergency access. */
export const AUTHORISE_AND_LOG_CLIENT_SQL = authoriseAndLogSql('organisation');

/**
 * The same decision without the log entries: only for the benchmark's "logging off" phase (see AppConfig).
 * MATERIALIZED as above: inlined, the decision's subqueries would run twice (once for the filter, once for
 * the answer), making "off" slower than "on".
 */
const authoriseUnloggedSql = (
  relationOf: RelationOf,
) => `WITH decided AS MATERIALIZED (${DECIDE_SQL('$3', '$1', '$4', '$7', '$8', relationOf)})
  SELECT id, ground, withheld FROM decided
   WHERE ground IS NOT NULL AND coalesce($5::uuid::text, $6::text, $9::text, $10::text, $11::text, $12::boolean::text, '') IS NOT NULL`;
const AUTHORISE_UNLOGGED_SQL = authoriseUnloggedSql('staff');
const AUTHORISE_UNLOGGED_CLIENT_SQL = authoriseUnloggedSql('organisation');

/**
 * The same check and log entries for many actors and one person (the recipients of one live event), in one
 * statement. Parameters: $1 staff ids, $2 the person (an array of one), $3 day, $4 organisations, $5 units,
 * $6 action, $7 principals, $8 refused, $9 roles, $10 entity, $11 client addresses, $12 integration client;
 * one element per recipient, `n` its place (1-based).
 */
const recipientsSql = (logging: boolean) => `
  WITH a AS (SELECT * FROM unnest($1::uuid[], $4::uuid[], $5::uuid[], $7::text[], $8::boolean[], $9::text[], $11::text[], $12::boolean[])
               WITH ORDINALITY AS a(staff, organisation, unit, principal, refused, role, address, client, n)),
  decided AS MATERIALIZED (
    SELECT a.*, d.id, d.ground, d.withheld FROM a
     CROSS JOIN LATERAL (${DECIDE_SQL('$3', 'a.staff', 'a.organisation', 'a.principal', 'a.refused', 'staff')}) d WHERE NOT a.client
    UNION ALL
    SELECT a.*, d.id, d.ground, d.withheld FROM a
     CROSS JOIN LATERAL (${DECIDE_SQL('$3', 'a.staff', 'a.organisation', 'a.principal', 'a.refused', 'organisation')}) d WHERE a.client
  )${
    logging
      ? `,
  logged AS (
    INSERT INTO access_log (staff_id, organisation_id, unit_id, role, person_id, action, entity, ground, client_address)
    SELECT staff, organisation, unit, role, id, $6, $10, ground, address FROM decided
     WHERE ground IS NOT NULL AND ground <> 'LIMITED_VIEW' AND NOT (ground = 'EMERGENCY' AND $6 = '${AccessAction.WRITE}')
  )`
      : ''
  }
  SELECT n::int AS n, ground, withheld FROM decided WHERE ground IS NOT NULL AND coalesce($6::text, $10::text, '') IS NOT NULL`;
const AUTHORISE_RECIPIENTS_AND_LOG_SQL = recipientsSql(true);
const AUTHORISE_RECIPIENTS_UNLOGGED_SQL = recipientsSql(false);

/**
 * Who could be given a person's data now, by their place: staff with a place in the person's collaboration group
 * or on an ACT team with the person on its caseload, or an open emergency access; and the organisations of such
 * staff (active, no service account: an integration client's relation, see ORGANISATION_RELATION). A superset of
 * whom DECIDE_SQL grants the content, with the same periods, so a live event need be decided only for them.
 */
export const CONCERNED_SQL = `
  SELECT m.staff_id AS staff, s.organisation_id AS organisation, s.active AND NOT s.service_account AS lends
    FROM collaboration_group g JOIN group_member m ON m.group_id = g.id JOIN staff_member s ON s.id = m.staff_id
   WHERE g.person_id = $1 AND ${activeOn('m', '$2')}
  UNION
  SELECT tm.staff_id, s.organisation_id, s.active AND NOT s.service_account
    FROM act_team_client c JOIN act_team_member tm ON tm.team_id = c.team_id JOIN staff_member s ON s.id = tm.staff_id
   WHERE c.person_id = $1 AND ${activeOn('c', '$2')} AND ${activeOn('tm', '$2')}
  UNION
  SELECT e.staff_id, NULL, false FROM emergency_access e WHERE e.person_id = $1 AND e.expires_at > now()`;

/** Whom a person's live event may concern (see CONCERNED_SQL): staff by id, integration clients by organisation. */
export interface Concerned {
  staff: ReadonlySet<string>;
  organisations: ReadonlySet<string>;
}

/** Emergency access (nödåtkomst) is for reading in an emergency: it never changes anything about the person. */
export const EMERGENCY_READS_ONLY =
  "Emergency access only reads: changes need a place in the person's group or ACT team (and the person's own principal or a consent)";

const PROTECTION_CHANGE_REFUSED =
  "Only staff of the person's own principal, in the person's group or ACT team and authorised for protected whereabouts, may change the protection level";

const FULL_GROUNDS = new Set<string>([
  AccessGround.GROUP_MEMBERSHIP,
  AccessGround.ACT_TEAM,
  AccessGround.CONSENT,
  AccessGround.EMERGENCY,
]);

export interface AccessDecision {
  /** FULL: the person's data; LIMITED: only that a plan exists and whom to contact. */
  level: 'FULL' | 'LIMITED';
  ground: AccessGround;
}

@Injectable()
export class AccessPolicy {
  private readonly logging: boolean;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // The benchmark switch is refused in production by the configuration, and ignored here as well.
    this.logging = config.NODE_ENV === 'production' || config.ACCESS_LOG_BENCHMARK_OFF !== 'true';
  }

  /**
   * The gate in front of every read or write of person data: returns the persons whose data the actor
   * may see, and logs the access to each (patientdatalagen). One statement for any number of persons.
   */
  async authorise(
    actor: Actor,
    personIds: readonly string[],
    action: AccessAction,
    entity?: string,
  ): Promise<Set<string>> {
    return new Set((await this.authoriseWithLimits(actor, personIds, action, entity)).keys());
  }

  /**
   * As `authorise`, with the categories the person's consents withhold from the actor's organisation
   * ("do not share X with Y") decided in the same statement, so a field resolver need not ask again.
   */
  async authoriseWithLimits(
    actor: Actor,
    personIds: readonly string[],
    action: AccessAction,
    entity?: string,
  ): Promise<Map<string, Set<SharingCategory>>> {
    const decisions = await this.run(actor, personIds, action, entity ?? actor.operation ?? action, false);
    const full = new Map<string, Set<SharingCategory>>();
    const byScope = withheldByScope(actor);
    for (const [id, d] of decisions) if (FULL_GROUNDS.has(d.ground)) full.set(id, new Set([...d.withheld, ...byScope]));
    return full;
  }

  /**
   * As `authoriseWithLimits` for one person and many actors at once (the recipients of one live event), deciding
   * and logging each recipient's access in one statement: returns, by the recipient's index, what is withheld
   * from those who may see it. Each recipient is logged as its own access, as a request of its own would be.
   */
  async authoriseRecipients(
    recipients: readonly Actor[],
    personId: string,
    action: AccessAction,
    entity: string,
  ): Promise<Map<number, Set<SharingCategory>>> {
    const result = new Map<number, Set<SharingCategory>>();
    if (recipients.length === 0 || !isUuid(personId)) return result;
    const rows = await sql<{ n: number; ground: AccessGround; withheld: SharingCategory[] }>(
      this.db,
      this.logging ? AUTHORISE_RECIPIENTS_AND_LOG_SQL : AUTHORISE_RECIPIENTS_UNLOGGED_SQL,
      [
        recipients.map((a) => a.staffId),
        [personId],
        today(),
        recipients.map((a) => a.organisationId),
        recipients.map((a) => a.unitId),
        action,
        recipients.map((a) => a.principal),
        recipients.map(refusedCareData),
        recipients.map(roleOf),
        entity,
        recipients.map((a) => a.clientAddress ?? null),
        recipients.map(isIntegrationClient),
      ],
    );
    for (const r of rows) {
      if (!FULL_GROUNDS.has(r.ground)) continue;
      // Emergency access only reads (as in `run`): a write on it is refused for that recipient alone.
      if (action === AccessAction.WRITE && r.ground === AccessGround.EMERGENCY) continue;
      const actor = recipients[r.n - 1];
      result.set(r.n - 1, new Set([...r.withheld, ...withheldByScope(actor)]));
    }
    return result;
  }

  /**
   * Whom a live event about the person may concern now (see CONCERNED_SQL), so that it is decided only for
   * their subscriptions. It narrows, never grants: every recipient is still decided by `authoriseRecipients`.
   */
  async concerned(personId: string): Promise<Concerned> {
    const staff = new Set<string>();
    const organisations = new Set<string>();
    if (!isUuid(personId)) return { staff, organisations };
    const rows = await sql<{ staff: string; organisation: string | null; lends: boolean }>(this.db, CONCERNED_SQL, [
      personId,
      today(),
    ]);
    for (const r of rows) {
      staff.add(r.staff);
      if (r.lends && r.organisation) organisations.add(r.organisation);
    }
    return { staff, organisations };
  }

  /** As `authoriseWithLimits` for one person; refuses without revealing whether the person exists. */
  async authoriseOneWithLimits(
    actor: Actor,
    personId: string,
    action: AccessAction,
    what = 'person',
  ): Promise<Set<SharingCategory>> {
    const withheld = (await this.authoriseWithLimits(actor, [personId], action)).get(personId);
    if (!withheld) throw DomainError.notFound(what);
    return withheld;
  }

  /** As `authorise` for one person; refuses without revealing whether the person exists. */
  async authoriseOne(
    actor: Actor,
    personId: string,
    action: AccessAction,
    what = 'person',
    entity?: string,
  ): Promise<void> {
    const visible = await this.authorise(actor, [personId], action, entity);
    if (!visible.has(personId)) throw DomainError.notFound(what);
  }

  /**
   * Full or limited access to one person, for the view that says only that a plan exists and whom to
   * contact, and for withdrawing the person's consent (which anyone with a relation may do); logs it
   * either way. Refuses (not found) without any relation.
   */
  async decideOne(
    actor: Actor,
    personId: string,
    entity: string,
    action: AccessAction = AccessAction.READ_LIMITED,
  ): Promise<AccessDecision> {
    const decision = (await this.run(actor, [personId], action, entity, true)).get(personId);
    if (!decision) throw DomainError.notFound();
    return { level: FULL_GROUNDS.has(decision.ground) ? 'FULL' : 'LIMITED', ground: decision.ground };
  }

  /**
   * Recording a consent is for staff who already see the person's data on their own ground (the
   * person's own principal, or staff a consent in force covers): one whom the new consent would cover
   * would otherwise grant themselves access on their own word, and an emergency access is for the
   * emergency only. Withdrawing, which only narrows sharing, is open to anyone with a relation.
   */
  async authoriseConsentRecording(actor: Actor, personId: string): Promise<void> {
    const decision = await this.decideOne(actor, personId, 'recordConsent', AccessAction.WRITE);
    if (decision.level !== 'FULL' || decision.ground === AccessGround.EMERGENCY) {
      throw DomainError.forbidden(
        "Only staff who already see the person's data may record a consent: ask the person's coordinator or their own principal",
      );
    }
  }

  /**
   * The categories the person's consents withhold from the actor's organisation ("do not share X with
   * Y"), for persons the actor may already see; emergency access lifts none of them (as in DECIDE_SQL).
   */
  async withheldCategories(actor: Actor, personIds: readonly string[]): Promise<Map<string, Set<SharingCategory>>> {
    const ids = [...new Set(personIds)].filter(isUuid);
    const result = new Map<string, Set<SharingCategory>>(ids.map((id) => [id, new Set(withheldByScope(actor))]));
    if (ids.length === 0) return result;
    const rows = await sql<{ personId: string; limitations: SharingLimitation[] }>(
      this.db,
      `SELECT k.person_id AS "personId", k.limitations FROM consent k
        WHERE k.person_id = ANY($1::uuid[]) AND k.limitations <> '[]'::jsonb
          AND k.withdrawn_at IS NULL AND k.valid_from <= $2 AND (k.valid_to IS NULL OR k.valid_to >= $2)`,
      [ids, today()],
    );
    for (const row of rows)
      for (const category of withheldCategories(row.limitations, actor.organisationId))
        result.get(row.personId)!.add(category);
    return result;
  }

  /** Reading the access log is for auditors; reading one person's extract is itself logged (ground AUDIT). */
  async authoriseAudit(actor: Actor, personId: string | null): Promise<void> {
    if (!actor.auditor) throw DomainError.forbidden('Only an auditor can read the access log');
    if (personId === null || !this.logging) return;
    if (!isUuid(personId)) throw DomainError.notFound();
    await sql(
      this.db,
      `INSERT INTO access_log (staff_id, organisation_id, unit_id, role, person_id, action, entity, ground, client_address)
       SELECT $1, $2, $3, 'AUDITOR', p.id, $5, 'accessLog', 'AUDIT', $6 FROM person p WHERE p.id = $4`,
      [
        actor.staffId,
        actor.organisationId,
        actor.unitId,
        personId,
        AccessAction.READ_ACCESS_LOG,
        actor.clientAddress ?? null,
      ],
    );
  }

  /**
   * What an auditor reads or marks while reviewing (emergency accesses, protection changes, episode
   * endings) is about persons, with reasons and evidence in free text: each item is written to the access
   * log against its person, ground AUDIT, like an extract of the log itself.
   */
  async logAuditReview(actor: Actor, personIds: readonly string[], entity: string): Promise<void> {
    this.assertAuditor(actor);
    const ids = [...new Set(personIds)].filter(isUuid);
    if (ids.length === 0 || !this.logging) return;
    await sql(
      this.db,
      `INSERT INTO access_log (staff_id, organisation_id, unit_id, role, person_id, action, entity, ground, client_address)
       SELECT $1, $2, $3, 'AUDITOR', p.id, $5, $6, 'AUDIT', $7 FROM person p WHERE p.id = ANY($4::uuid[])`,
      [
        actor.staffId,
        actor.organisationId,
        actor.unitId,
        ids,
        AccessAction.REVIEW,
        entity,
        actor.clientAddress ?? null,
      ],
    );
  }

  /**
   * Whether the actor may see the address and whereabouts of a person with a protected identity: only
   * staff explicitly authorised for it, never an auditor or administrator. (The hiding itself: whereaboutsHidden.)
   */
  maySeeProtectedWhereabouts(actor: Actor): boolean {
    return Boolean(actor.whereaboutsAuthorised && !actor.auditor && !actor.administrator);
  }

  /**
   * Whether the actor may see the group's decisions (proposals and their votes) of a person it already sees:
   * staff always; an integration client only with the decisions.read scope. (The hiding itself: withheld.ts, DECISIONS.)
   */
  maySeeDecisions(actor: Actor): boolean {
    return !isIntegrationClient(actor) || actor.scopes!.includes(IntegrationScope.DECISIONS_READ);
  }

  /**
   * Changing a person's protection level is for staff of the person's own principal, on their own
   * relation (not a consent, not emergency access), who are authorised to see protected whereabouts.
   */
  async authoriseProtectionChange(actor: Actor, personId: string): Promise<void> {
    if (!this.maySeeProtectedWhereabouts(actor))
      throw DomainError.forbidden(PROTECTION_CHANGE_REFUSED, DomainErrorReason.PROTECTION_CHANGE_REFUSED);
    const { ground } = await this.decideOne(actor, personId, 'setProtectedIdentity', AccessAction.WRITE);
    if (ground !== AccessGround.GROUP_MEMBERSHIP && ground !== AccessGround.ACT_TEAM)
      throw DomainError.forbidden(PROTECTION_CHANGE_REFUSED, DomainErrorReason.PROTECTION_CHANGE_REFUSED);
  }

  /** Opening emergency access is for care staff: an auditor's or administrator's role never opens a person's data, nor does an integration client. */
  assertCareStaff(actor: Actor): void {
    if (actor.auditor || actor.administrator || actor.scopes)
      throw DomainError.forbidden('Only care staff can do this');
  }

  /**
   * Registering and finding persons: care staff, or an integration client acting for its organisation (whose
   * scope for the operation the AuthGuard has checked); never an auditor's or administrator's role.
   */
  assertCareStaffOrClient(actor: Actor): void {
    if (isIntegrationClient(actor)) {
      if (actor.scopes!.some((scope) => CARE_DATA_SCOPES.includes(scope))) return;
      throw DomainError.forbidden('Only care staff, or an integration client with a care-data scope, can do this');
    }
    this.assertCareStaff(actor);
  }

  /** Nobody grants themselves anything: a change of one's own roles, activation or team roster takes another administrator. */
  assertNotAboutOneself(actor: Actor, staffId: string, what: string): void {
    if (actor.staffId === staffId)
      throw DomainError.forbidden(`Another administrator must ${what}: nobody may change this about themselves`);
  }

  /** The whole directory (organisations, ACT teams, roles such as auditor): the global administrator only. */
  assertAdministrator(actor: Actor): void {
    if (!actor.administrator || actor.scopes)
      throw DomainError.forbidden(
        'Only an administrator can change the directory',
        DomainErrorReason.ADMINISTRATOR_REQUIRED,
      );
  }

  /**
   * Staff and units of one organisation: the global administrator, that organisation's own administrator,
   * or that organisation's integration client with the DIRECTORY_WRITE scope.
   */
  assertMayManageOrganisation(actor: Actor, organisationId: string): void {
    if (actor.scopes) {
      if (actor.scopes.includes(IntegrationScope.DIRECTORY_WRITE) && actor.organisationId === organisationId) return;
      throw DomainError.forbidden("An integration client manages only its own organisation's staff and units");
    }
    if (actor.administrator) return;
    if (actor.organisationAdministrator && actor.organisationId === organisationId) return;
    throw DomainError.forbidden('Only an administrator of the organisation can manage its staff and units');
  }

  /**
   * An integration client may call only the operations marked for one of its key's scopes (and nothing
   * else, whatever it is); staff are not limited by scopes.
   */
  assertIntegrationScope(actor: Actor, allowedScopes: readonly IntegrationScope[] | undefined): void {
    if (!actor.scopes) return;
    if (!allowedScopes?.some((scope) => actor.scopes!.includes(scope))) {
      throw DomainError.forbidden(
        `This client's scopes do not allow this operation${allowedScopes?.length ? ` (needs ${allowedScopes.join(' or ')})` : ''}`,
        DomainErrorReason.SCOPE_NOT_GRANTED,
        { scopes: allowedScopes?.map((scope) => OAUTH_SCOPE_OF[scope]).join(' | ') || '-' },
      );
    }
  }

  /** Reviewing emergency accesses is an auditor's task. */
  assertAuditor(actor: Actor): void {
    if (!actor.auditor) throw DomainError.forbidden('Only an auditor can do this');
  }

  private async run(
    actor: Actor,
    personIds: readonly string[],
    action: AccessAction,
    entity: string,
    limitedView: boolean,
  ): Promise<Map<string, { ground: AccessGround; withheld: SharingCategory[] }>> {
    const ids = [...new Set(personIds)].filter(isUuid);
    if (ids.length === 0) return new Map();
    const client = isIntegrationClient(actor);
    const refused = refusedCareData(actor);
    const statement = client
      ? this.logging
        ? AUTHORISE_AND_LOG_CLIENT_SQL
        : AUTHORISE_UNLOGGED_CLIENT_SQL
      : this.logging
        ? AUTHORISE_AND_LOG_SQL
        : AUTHORISE_UNLOGGED_SQL;
    const rows = await sql<{ id: string; ground: AccessGround; withheld: SharingCategory[] }>(this.db, statement, [
      actor.staffId,
      ids,
      today(),
      actor.organisationId,
      actor.unitId,
      action,
      actor.principal,
      refused,
      roleOf(actor),
      entity,
      actor.clientAddress ?? null,
      limitedView,
    ]);
    // The one place a write is refused on emergency access, whichever operation asks (see DECIDE_SQL's grounds).
    if (action === AccessAction.WRITE && rows.some((r) => r.ground === AccessGround.EMERGENCY))
      throw DomainError.forbidden(EMERGENCY_READS_ONLY);
    return new Map(rows.map((r) => [r.id, { ground: r.ground, withheld: r.withheld }]));
  }
}

/**
 * What an integration client's scopes leave out of the data it may otherwise see: the plan without PLAN_READ
 * (a person read by PERSON_READ does not carry the plan along). Hidden by the same declared field rule as a
 * consent limitation (withheld.ts), so no resolver checks scopes.
 */
function withheldByScope(actor: Actor): SharingCategory[] {
  if (!isIntegrationClient(actor)) return [];
  return actor.scopes!.includes(IntegrationScope.PLAN_READ) || actor.scopes!.includes(IntegrationScope.PLAN_WRITE)
    ? []
    : [SharingCategory.SIP_PLAN];
}

/**
 * Auditors and administrators never get care data, whatever memberships or rosters they might be given; nor
 * does an integration client without a care-data scope (its scopes are checked per operation as well).
 */
function refusedCareData(actor: Actor): boolean {
  return Boolean(
    actor.auditor ||
    actor.administrator ||
    (isIntegrationClient(actor) && !actor.scopes!.some((scope) => CARE_DATA_SCOPES.includes(scope))),
  );
}

/** The role written to the access log: the profession, or the role the actor acts in (AUDITOR, INTEGRATION_CLIENT). */
export function roleOf(actor: Actor): string {
  return accessLogRole(actor);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
