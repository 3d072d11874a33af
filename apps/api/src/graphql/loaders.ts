import {
  CareEpisode,
  CareEpisodeService,
  CaseCheck,
  CaseCheckService,
  ReminderScheduler,
  SipMeeting,
  SipMeetingService,
  DischargeRequest,
  DischargeService,
  Proposal,
  ProposalElector,
  ProposalService,
  VoteEvent,
  ActTeam,
  ActTeamClient,
  ActTeamMember,
  ActTeamService,
  CollaborationGroup,
  ContactEntry,
  GroupMember,
  HousingPlacement,
  HousingService,
  Organisation,
  OnCallShift,
  OrganisationService,
  OverviewQueries,
  Person,
  PersonStandingQueries,
  ActTeamFigures,
  MemberCaseloadFigures,
  PersonService,
  Relative,
  RelativeService,
  SipPlan,
  SipPlanService,
  SipPlanVersion,
  SipFollowUp,
  SipPlanApproval,
  StaffMember,
  TeamCaseloadFigures,
  Unit,
} from '@samverka/domain';
import {
  ActTeamModule,
  CaseChecksModule,
  DecisionsModule,
  DischargeModule,
  EpisodesModule,
  HousingModule,
  MeetingsModule,
  OrganisationModule,
  OverviewModule,
  PersonModule,
  RemindersModule,
  SipPlanModule,
} from '@samverka/domain';
import { Injectable, Module } from '@nestjs/common';
import { AccessPolicy, AuthModule } from '@samverka/auth';
import DataLoader from 'dataloader';

/** One loader per key: a batch function gets all keys of a tick and must answer each, in order. */
function one<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (value: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((v) => [keyOf(v), v]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

function many<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (value: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>();
    for (const v of await fetch(keys)) {
      const list = byKey.get(keyOf(v));
      if (list) list.push(v);
      else byKey.set(keyOf(v), [v]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

/** The services the loaders read through; injected once, used by every request's fresh loaders. */
@Injectable()
export class LoaderServices {
  constructor(
    readonly overview: OverviewQueries,
    readonly organisations: OrganisationService,
    readonly persons: PersonService,
    readonly relatives: RelativeService,
    readonly plans: SipPlanService,
    readonly housing: HousingService,
    readonly actTeams: ActTeamService,
    readonly proposals: ProposalService,
    readonly episodes: CareEpisodeService,
    readonly discharges: DischargeService,
    readonly meetings: SipMeetingService,
    readonly checks: CaseCheckService,
    readonly reminders: ReminderScheduler,
    readonly access: AccessPolicy,
    readonly standing: PersonStandingQueries,
    readonly actTeamFigures: ActTeamFigures,
  ) {}
}

@Module({
  imports: [
    AuthModule,
    ActTeamModule,
    CaseChecksModule,
    DecisionsModule,
    DischargeModule,
    EpisodesModule,
    HousingModule,
    MeetingsModule,
    OrganisationModule,
    OverviewModule,
    PersonModule,
    RemindersModule,
    SipPlanModule,
  ],
  providers: [LoaderServices],
  exports: [LoaderServices],
})
export class LoadersModule {}

/**
 * The per-request DataLoaders behind every field that loads a relation: a list of any length costs
 * one statement per relation, never one per item. Created anew for each request so nothing is
 * cached across users.
 */
export function createLoaders(s: LoaderServices) {
  const loaders = {
    person: one<string, Person>(
      (ids) => s.overview.persons(ids),
      (p) => p.id,
    ),
    staff: one<string, StaffMember>(
      (ids) => s.overview.staff(ids),
      (m) => m.id,
    ),
    organisation: one<string, Organisation>(
      (ids) => s.overview.organisations(ids),
      (o) => o.id,
    ),
    unit: one<string, Unit>(
      (ids) => s.organisations.unitsByIds(ids),
      (u) => u.id,
    ),
    unitsByOrganisation: many<string, Unit>(
      (ids) => s.organisations.unitsByOrganisationIds(ids),
      (u) => u.organisationId,
    ),
    groupByPerson: one<string, CollaborationGroup>(
      (ids) => s.overview.groupsByPersonIds(ids),
      (g) => g.personId,
    ),
    membersByGroup: many<string, GroupMember>(
      (ids) => s.overview.membersByGroupIds(ids),
      (m) => m.groupId,
    ),
    currentPlanByPerson: one<string, SipPlan>(
      (ids) => s.overview.currentPlans(ids),
      (p) => p.personId,
    ),
    plansByPerson: many<string, SipPlan>(
      (ids) => s.plans.byPersonIds(ids),
      (p) => p.personId,
    ),
    planVersions: many<string, SipPlanVersion>(
      (ids) => s.plans.versionsByPlanIds(ids),
      (v) => v.planId,
    ),
    planFollowUps: many<string, SipFollowUp>(
      (ids) => s.plans.followUpsByPlanIds(ids),
      (f) => f.planId,
    ),
    planApprovals: many<string, SipPlanApproval>(
      (ids) => s.plans.approvalsByPlanIds(ids),
      (a) => a.planId,
    ),
    recentContactsByPerson: many<string, ContactEntry>(
      (ids) => s.overview.recentContacts(ids),
      (c) => c.personId,
    ),
    currentHousingByPerson: one<string, HousingPlacement>(
      (ids) => s.overview.currentHousing(ids),
      (h) => h.personId,
    ),
    housingHistoryByPerson: many<string, HousingPlacement>(
      (ids) => s.housing.historyByPersonIds(ids),
      (h) => h.personId,
    ),
    identityHistoryByPerson: many(
      (ids: readonly string[]) => s.persons.identityHistoryByPersonIds(ids),
      (r) => r.personId,
    ),
    relativesByPerson: many<string, Relative>(
      (ids) => s.relatives.currentByPersonIds(ids),
      (r) => r.personId,
    ),
    actTeamsByPerson: many<string, ActTeam & { personId: string }>(
      (ids) => s.overview.actTeamsByPersonIds(ids),
      (t) => t.personId,
    ),
    actTeamMembers: many<string, ActTeamMember>(
      (ids) => s.actTeams.membersByTeamIds(ids),
      (m) => m.teamId,
    ),
    onCallNowByTeam: many<string, OnCallShift>(
      (ids) => s.actTeams.onCallAt(ids),
      (shift) => shift.teamId,
    ),
    actTeamClients: many<string, ActTeamClient>(
      (ids) => s.actTeams.clientsByTeamIds(ids),
      (c) => c.teamId,
    ),
    proposalsByPerson: many<string, Proposal>(
      (ids) => s.proposals.byPersonIds(ids),
      (p) => p.personId,
    ),
    electorsByProposal: many<string, ProposalElector>(
      (ids) => s.proposals.electorsByProposalIds(ids),
      (e) => e.proposalId,
    ),
    voteHistoryByProposal: many<string, VoteEvent>(
      (ids) => s.proposals.voteHistoryByProposalIds(ids),
      (v) => v.proposalId,
    ),
    episodesByPerson: many<string, CareEpisode>(
      (ids) => s.episodes.byPersonIds(ids),
      (e) => e.personId,
    ),
    dischargeRequestsByEpisode: many<string, DischargeRequest>(
      (ids) => s.discharges.requestsByEpisodeIds(ids),
      (r) => r.episodeId,
    ),
    dischargeApproved: new DataLoader<string, boolean>(async (ids) => {
      const approved = await s.discharges.withUsableDischargeDecision(ids);
      return ids.map((id) => approved.has(id));
    }),
    sipMeetingsByPerson: many<string, SipMeeting>(
      (ids) => s.meetings.forPersons(ids),
      (m) => m.personId,
    ),
    caseChecksByPerson: many<string, CaseCheck>(
      (ids) => s.checks.forPersons(ids),
      (c) => c.personId,
    ),
    upcomingRemindersByPerson: many(
      (ids: readonly string[]) => s.reminders.upcoming(ids),
      (r) => r.personId,
    ),
    actTeamFigures: new DataLoader<string, TeamCaseloadFigures | null>(async (ids) => {
      const figures = await s.actTeams.caseloadFigures(ids);
      return ids.map((id) => figures.get(id) ?? null);
    }),
    /** Keyed by team id: the figures of each current roster member of the team, by membership id. */
    actTeamMemberFigures: new DataLoader<string, Map<string, MemberCaseloadFigures>>(async (ids) => {
      const figures = await s.actTeamFigures.byMember(ids);
      return ids.map(() => figures);
    }),
    consentsByPerson: many(
      (ids: readonly string[]) => s.standing.consents(ids),
      (c) => c.personId,
    ),
  };
  return {
    ...loaders,
    /**
     * Reads what every overview of these persons shows in one statement (OverviewQueries.bundle) and
     * hands each part to its loader, so that the overview's fields find it there instead of asking in
     * four waves of statements. Only after the access decision: it reads, it decides nothing.
     */
    async primeOverview(personIds: readonly string[]): Promise<void> {
      const b = await s.overview.bundle(personIds);
      const byPerson =
        <T extends { personId: string }>(rows: T[]) =>
        (id: string) =>
          rows.filter((r) => r.personId === id);
      for (const id of personIds) {
        loaders.person.prime(id, b.persons.find((p) => p.id === id) ?? null);
        loaders.groupByPerson.prime(id, b.groups.find((g) => g.personId === id) ?? null);
        loaders.currentPlanByPerson.prime(id, b.plans.find((p) => p.personId === id) ?? null);
        loaders.currentHousingByPerson.prime(id, b.housing.find((h) => h.personId === id) ?? null);
        loaders.recentContactsByPerson.prime(id, byPerson(b.contacts)(id));
        loaders.actTeamsByPerson.prime(id, byPerson(b.teams)(id));
        loaders.sipMeetingsByPerson.prime(id, byPerson(b.meetings)(id));
        loaders.consentsByPerson.prime(id, byPerson(b.consents)(id));
        loaders.episodesByPerson.prime(id, byPerson(b.episodes)(id));
        loaders.housingHistoryByPerson.prime(id, byPerson(b.housingHistory)(id));
        loaders.proposalsByPerson.prime(id, byPerson(b.proposals)(id));
      }
      for (const p of b.proposals)
        if (p.status === 'OPEN')
          loaders.electorsByProposal.prime(
            p.id,
            b.electors.filter((e) => e.proposalId === p.id),
          );
      for (const t of b.teams)
        loaders.onCallNowByTeam.prime(
          t.id,
          b.shifts.filter((shift) => shift.teamId === t.id),
        );
      for (const g of b.groups)
        loaders.membersByGroup.prime(
          g.id,
          b.members.filter((m) => m.groupId === g.id),
        );
      for (const m of b.staff) loaders.staff.prime(m.id, m);
      for (const o of b.organisations) loaders.organisation.prime(o.id, o);
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
