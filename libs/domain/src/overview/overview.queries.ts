import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActTeam } from '../act-team/act-team.entity';
import { CollaborationGroup } from '../collaboration/collaboration-group.entity';
import { GroupMember } from '../collaboration/group-member.entity';
import { HousingPlacement } from '../housing/housing-placement.entity';
import { Organisation } from '../organisation/organisation.entity';
import { Person } from '../person/person.entity';
import { SipPlan } from '../sip-plan/sip-plan.entity';
import { StaffMember } from '../staff/staff-member.entity';
import { ContactEntry } from '../timeline/contact-entry.entity';
import { MEETINGS_OF_PERSONS_SQL, SipMeeting } from '../meetings/sip-meeting.service';
import { onCallAtSql } from '../act-team/act-team.service';
import { OnCallShift } from '../act-team/on-call-shift.entity';
import { reviveTimestamps, timestampProperties } from '../database/entity-sql';
import { ProposalElector } from '../decisions/proposal-elector.entity';
import { Proposal } from '../decisions/proposal.entity';
import { ELECTORS_OF_PROPOSALS_SQL, PROPOSALS_OF_PERSONS_SQL } from '../decisions/proposal.service';
import { CareEpisode } from '../episodes/care-episode.entity';
import { EPISODES_OF_PERSONS_SQL } from '../episodes/care-episode.service';
import { HOUSING_HISTORY_SQL } from '../housing/housing.service';
import { ConsentFacts, CONSENTS_OF_PERSONS_SQL } from './person-standing';
import { sql } from '../database/sql';

/**
 * The batch reads behind the patient overview and the caseload: each takes a set of ids and runs one
 * statement, so a page of any size costs the same number of statements. The SQL is exported so that
 * the benchmark's hand-written baseline runs exactly the same statements.
 */
export const OVERVIEW_SQL = {
  persons: `SELECT id, identity_kind AS "identityKind", identity_number AS "identityNumber", temporary_reference AS "temporaryReference",
      home_organisation_id AS "homeOrganisationId", given_name AS "givenName", family_name AS "familyName", birth_year AS "birthYear", legal_gender AS "legalGender",
      protected_identity AS "protectedIdentity", children_status AS "childrenStatus", children, child_impact_note AS "childImpactNote",
      preferred_contact_channel AS "preferredContactChannel", phone, preferred_language AS "preferredLanguage", created_at AS "createdAt", updated_at AS "updatedAt"
    FROM person WHERE id = ANY($1::uuid[])`,
  groupsByPerson: `SELECT id, person_id AS "personId", coordinator_staff_id AS "coordinatorStaffId",
      membership_version AS "membershipVersion", created_at AS "createdAt"
    FROM collaboration_group WHERE person_id = ANY($1::uuid[])`,
  membersByGroup: `SELECT id, group_id AS "groupId", staff_id AS "staffId", role, principal,
      voting_representative AS "votingRepresentative", to_char(valid_from, 'YYYY-MM-DD') AS "validFrom",
      to_char(valid_to, 'YYYY-MM-DD') AS "validTo", created_at AS "createdAt"
    FROM group_member WHERE group_id = ANY($1::uuid[]) ORDER BY valid_from, id`,
  staff: `SELECT id, organisation_id AS "organisationId", unit_id AS "unitId", given_name AS "givenName",
      family_name AS "familyName", profession, title, email, phone, active, administrator, auditor, whereabouts_authorised AS "whereaboutsAuthorised",
      organisation_administrator AS "organisationAdministrator", service_account AS "serviceAccount", username,
      external_subject AS "externalSubject", created_at AS "createdAt"
    FROM staff_member WHERE id = ANY($1::uuid[])`,
  organisations: `SELECT id, name, principal, kind, created_at AS "createdAt" FROM organisation WHERE id = ANY($1::uuid[])`,
  currentPlans: `SELECT id, person_id AS "personId", status, overall_responsibility_principal AS "overallResponsibilityPrincipal",
      overall_responsibility_organisation_id AS "overallResponsibilityOrganisationId", person_goals AS "personGoals",
      needs, interventions, other_measures AS "otherMeasures", participants,
      to_char(consent_given_at, 'YYYY-MM-DD') AS "consentGivenAt", to_char(consent_valid_until, 'YYYY-MM-DD') AS "consentValidUntil",
      to_char(follow_up_on, 'YYYY-MM-DD') AS "followUpOn", version, created_by AS "createdBy", created_at AS "createdAt",
      updated_at AS "updatedAt"
    FROM sip_plan WHERE person_id = ANY($1::uuid[]) AND status <> 'CLOSED'`,
  recentContacts: `SELECT c.id, c.person_id AS "personId", c.staff_id AS "staffId", c.occurred_at AS "occurredAt", c.kind,
      c.location, c.summary, c.created_at AS "createdAt"
    FROM unnest($1::uuid[]) AS p(id)
    CROSS JOIN LATERAL (SELECT * FROM contact_entry e WHERE e.person_id = p.id ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2) c`,
  currentHousing: `SELECT id, person_id AS "personId", kind, provider_organisation_id AS "providerOrganisationId", address,
      to_char(started_on, 'YYYY-MM-DD') AS "startedOn", to_char(ended_on, 'YYYY-MM-DD') AS "endedOn", note
    FROM housing_placement WHERE person_id = ANY($1::uuid[]) AND ended_on IS NULL`,
  actTeamsByPerson: `SELECT c.person_id AS "personId", t.id, t.name, t.organisation_id AS "organisationId",
      t.on_call_phone AS "onCallPhone", t.no_contact_alert_days AS "noContactAlertDays", t.created_at AS "createdAt"
    FROM act_team_client c JOIN act_team t ON t.id = c.team_id
   WHERE c.person_id = ANY($1::uuid[]) AND c.valid_to IS NULL AND c.ended_at IS NULL`,
} as const;

/** How many timeline entries the overview shows. */
export const OVERVIEW_RECENT_CONTACTS = 10;

/** One of OVERVIEW_SQL's statements over the ids an SQL expression yields, instead of over the parameter $1. */
const overIds = (sql: string, ids: string) => sql.replaceAll('$1::uuid[]', `(${ids})::uuid[]`);

/**
 * What the overview shows of the persons $1 ($2: how many recent contacts; $3: the moment whose on-call
 * cover is shown), in one statement: the batch reads behind its loaders (OVERVIEW_SQL's and those of the
 * episodes, housing, proposals, meetings and consents) as common table expressions, each part a JSON array,
 * with the staff and organisations the parts name. The same rows as the separate statements (a test
 * compares them), in one round trip instead of four waves of them. Timestamps come back as JSON text: see
 * OverviewQueries.bundle.
 */
export const OVERVIEW_BUNDLE_SQL = `
  WITH person_rows AS (${OVERVIEW_SQL.persons}),
       group_rows AS (${OVERVIEW_SQL.groupsByPerson}),
       member_rows AS (${overIds(OVERVIEW_SQL.membersByGroup, 'SELECT array_agg(id) FROM group_rows')}),
       plan_rows AS (${OVERVIEW_SQL.currentPlans}),
       contact_rows AS (${OVERVIEW_SQL.recentContacts}),
       housing_rows AS (${OVERVIEW_SQL.currentHousing}),
       team_rows AS (${OVERVIEW_SQL.actTeamsByPerson}),
       meeting_rows AS (${MEETINGS_OF_PERSONS_SQL}),
       consent_rows AS (${CONSENTS_OF_PERSONS_SQL}),
       episode_rows AS (${EPISODES_OF_PERSONS_SQL}),
       housing_history_rows AS (${HOUSING_HISTORY_SQL}),
       proposal_rows AS (${PROPOSALS_OF_PERSONS_SQL}),
       -- Electors are read for what the overview asks of them: which open proposals wait for the reader's vote.
       elector_rows AS (${overIds(ELECTORS_OF_PROPOSALS_SQL, `SELECT array_agg(id) FROM proposal_rows WHERE status = 'OPEN'`)}),
       shift_rows AS (${onCallAtSql('(SELECT array_agg(id) FROM team_rows)::uuid[]', '$3::timestamptz')}),
       staff_rows AS (${overIds(
         OVERVIEW_SQL.staff,
         `SELECT array_agg(id) FROM (SELECT "staffId" FROM member_rows UNION SELECT "coordinatorStaffId" FROM group_rows
                                     UNION SELECT "staffId" FROM contact_rows UNION SELECT "staffId" FROM shift_rows) s(id)`,
       )}),
       organisation_rows AS (${overIds(
         OVERVIEW_SQL.organisations,
         `SELECT array_agg(id) FROM (SELECT "organisationId" FROM staff_rows UNION SELECT "overallResponsibilityOrganisationId" FROM plan_rows
                                     UNION SELECT (i->>'responsibleOrganisationId')::uuid FROM plan_rows, jsonb_array_elements(interventions) i
                                     UNION SELECT "providerOrganisationId" FROM housing_history_rows UNION SELECT "organisationId" FROM team_rows
                                     UNION SELECT "organisationId" FROM episode_rows) o(id)`,
       )})
  SELECT (SELECT coalesce(json_agg(r), '[]') FROM person_rows r) AS persons,
         (SELECT coalesce(json_agg(r), '[]') FROM group_rows r) AS groups,
         (SELECT coalesce(json_agg(r), '[]') FROM member_rows r) AS members,
         (SELECT coalesce(json_agg(r), '[]') FROM plan_rows r) AS plans,
         (SELECT coalesce(json_agg(r), '[]') FROM contact_rows r) AS contacts,
         (SELECT coalesce(json_agg(r), '[]') FROM housing_rows r) AS housing,
         (SELECT coalesce(json_agg(r), '[]') FROM team_rows r) AS teams,
         (SELECT coalesce(json_agg(r), '[]') FROM meeting_rows r) AS meetings,
         (SELECT coalesce(json_agg(r), '[]') FROM consent_rows r) AS consents,
         (SELECT coalesce(json_agg(r), '[]') FROM episode_rows r) AS episodes,
         (SELECT coalesce(json_agg(r), '[]') FROM housing_history_rows r) AS "housingHistory",
         (SELECT coalesce(json_agg(r), '[]') FROM proposal_rows r) AS proposals,
         (SELECT coalesce(json_agg(r), '[]') FROM elector_rows r) AS electors,
         (SELECT coalesce(json_agg(r), '[]') FROM shift_rows r) AS shifts,
         (SELECT coalesce(json_agg(r), '[]') FROM staff_rows r) AS staff,
         (SELECT coalesce(json_agg(r), '[]') FROM organisation_rows r) AS organisations`;

/** What OVERVIEW_BUNDLE_SQL reads, each part as its own statement in OVERVIEW_SQL would answer it. */
export interface OverviewBundle {
  persons: Person[];
  groups: CollaborationGroup[];
  members: GroupMember[];
  plans: SipPlan[];
  contacts: ContactEntry[];
  housing: HousingPlacement[];
  teams: Array<ActTeam & { personId: string }>;
  meetings: SipMeeting[];
  consents: Array<ConsentFacts & { personId: string }>;
  episodes: CareEpisode[];
  housingHistory: HousingPlacement[];
  proposals: Proposal[];
  /** Of the open proposals only. */
  electors: ProposalElector[];
  shifts: OnCallShift[];
  staff: StaffMember[];
  organisations: Organisation[];
}

/** The timestamp columns of each part: JSON gives them as strings, the separate statements as Dates. */
const TIMESTAMPS: { [K in keyof OverviewBundle]: string[] } = {
  persons: ['createdAt', 'updatedAt'],
  groups: ['createdAt'],
  members: ['createdAt'],
  plans: ['createdAt', 'updatedAt'],
  contacts: ['occurredAt', 'createdAt'],
  housing: [],
  teams: ['createdAt'],
  meetings: ['startsAt'],
  consents: ['withdrawnAt', 'recordedAt'],
  episodes: timestampProperties(CareEpisode),
  housingHistory: timestampProperties(HousingPlacement),
  proposals: timestampProperties(Proposal),
  electors: timestampProperties(ProposalElector),
  shifts: timestampProperties(OnCallShift),
  staff: ['createdAt'],
  organisations: ['createdAt'],
};

@Injectable()
export class OverviewQueries {
  constructor(private readonly db: DataSource) {}

  persons(ids: readonly string[]): Promise<Person[]> {
    return sql<Person>(this.db, OVERVIEW_SQL.persons, [ids]);
  }

  groupsByPersonIds(personIds: readonly string[]): Promise<CollaborationGroup[]> {
    return sql<CollaborationGroup>(this.db, OVERVIEW_SQL.groupsByPerson, [personIds]);
  }

  membersByGroupIds(groupIds: readonly string[]): Promise<GroupMember[]> {
    return sql<GroupMember>(this.db, OVERVIEW_SQL.membersByGroup, [groupIds]);
  }

  staff(ids: readonly string[]): Promise<StaffMember[]> {
    return sql<StaffMember>(this.db, OVERVIEW_SQL.staff, [ids]);
  }

  organisations(ids: readonly string[]): Promise<Organisation[]> {
    return sql<Organisation>(this.db, OVERVIEW_SQL.organisations, [ids]);
  }

  currentPlans(personIds: readonly string[]): Promise<SipPlan[]> {
    return sql<SipPlan>(this.db, OVERVIEW_SQL.currentPlans, [personIds]);
  }

  recentContacts(personIds: readonly string[], limit = OVERVIEW_RECENT_CONTACTS): Promise<ContactEntry[]> {
    return sql<ContactEntry>(this.db, OVERVIEW_SQL.recentContacts, [personIds, limit]);
  }

  currentHousing(personIds: readonly string[]): Promise<HousingPlacement[]> {
    return sql<HousingPlacement>(this.db, OVERVIEW_SQL.currentHousing, [personIds]);
  }

  actTeamsByPersonIds(personIds: readonly string[]): Promise<Array<ActTeam & { personId: string }>> {
    return sql<ActTeam & { personId: string }>(this.db, OVERVIEW_SQL.actTeamsByPerson, [personIds]);
  }

  /** What every overview of these persons shows, in one statement (see OVERVIEW_BUNDLE_SQL). */
  async bundle(
    personIds: readonly string[],
    options: { recentContacts?: number; at?: Date } = {},
  ): Promise<OverviewBundle> {
    const [row] = await sql<OverviewBundle>(this.db, OVERVIEW_BUNDLE_SQL, [
      personIds,
      options.recentContacts ?? OVERVIEW_RECENT_CONTACTS,
      options.at ?? new Date(),
    ]);
    for (const [part, properties] of Object.entries(TIMESTAMPS))
      reviveTimestamps<object>(row[part as keyof OverviewBundle], properties);
    return row;
  }
}
