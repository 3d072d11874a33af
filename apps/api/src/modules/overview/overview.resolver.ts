import { Args, Context, GraphQLISODateTime, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  CaseloadRow,
  CaseloadService,
  DECISIONS,
  consentStanding,
  daysSince,
  followUpOverdue,
  IntegrationScope,
  isActiveMember,
  nextMeeting,
  Principal,
  SharingCategory,
  today,
  voteMissing,
} from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { primeWithheld, SharedAs, withheldFrom } from '../../graphql/withheld';
import { ActTeamType } from '../act-team/act-team.types';
import { CollaborationGroupType, GroupMemberType } from '../collaboration/collaboration.types';
import { HousingPlacementType } from '../housing/housing.types';
import { PersonType } from '../person/person.types';
import { SipPlanType } from '../sip-plan/sip-plan.types';
import { ContactEntryType } from '../timeline/timeline.types';
import { ProposalObjectType } from '../decisions/decisions.types';
import { OrganisationType } from '../organisation/organisation.types';
import { SipMeetingType } from '../reminders/reminders.types';
import {
  CaseloadArgs,
  CaseloadConnection,
  CaseloadEntryType,
  ConsentSummaryType,
  PatientOverviewType,
  ResponsibilityType,
} from './overview.types';

@Resolver(() => PatientOverviewType)
export class OverviewResolver {
  constructor(
    private readonly access: AccessPolicy,
    private readonly caseloads: CaseloadService,
  ) {}

  @IntegrationScopes(IntegrationScope.PERSON_READ)
  @Query(() => PatientOverviewType)
  async patientOverview(
    @Args('personId', { type: () => ID }, UuidPipe) personId: string,
    @CurrentActor() actor: Actor,
    @Context() ctx: GraphQLContext,
  ) {
    const withheld = await this.access.authoriseOneWithLimits(actor, personId, AccessAction.READ_OVERVIEW);
    primeWithheld(ctx, personId, withheld);
    await ctx.loaders.primeOverview([personId]);
    return { personId };
  }

  @Query(() => CaseloadConnection, {
    description:
      'Your persons, through a collaboration group or an ACT team; soonest follow-up first unless sorted otherwise',
  })
  async caseload(@Args() args: CaseloadArgs, @CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    const filter = args.filter ?? {};
    const result = await this.caseloads.forStaff(
      actor.staffId,
      { first: args.first, after: args.after },
      { sort: args.sort, filter },
    );
    // The caseload query finds candidates; the access policy is still the one that decides and logs.
    const visible = await this.access.authoriseWithLimits(
      actor,
      result.items.map((r) => r.personId),
      AccessAction.READ_CASELOAD,
    );
    for (const [personId, withheld] of visible) primeWithheld(ctx, personId, withheld);
    // A filter on what a consent withholds from the reader's organisation must not tell it either: such persons are left out.
    const filteredOn = [
      ...(filter.followUpOverdue ? [SharingCategory.SIP_PLAN] : []),
      ...(filter.noContactForDays != null ? [SharingCategory.TIMELINE] : []),
    ];
    const shown = (personId: string) => visible.has(personId) && !filteredOn.some((c) => visible.get(personId)!.has(c));
    const day = today();
    const kept = result.items
      .map((item, i) => ({ item, cursor: result.cursors[i] }))
      .filter(({ item }) => shown(item.personId));
    // "Do not share the SIP plan with us" hides the plan's status and follow-up date too (CaseloadEntry's SharedAs).
    return toConnection(
      { items: kept.map((k) => k.item), cursors: kept.map((k) => k.cursor), hasNextPage: result.hasNextPage },
      (row: CaseloadRow) => ({
        ...row,
        followUpOverdue: followUpOverdue(row.nextFollowUpOn, day),
      }),
    );
  }

  @ResolveField(() => PersonType)
  person(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.person.load(o.personId);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => SipPlanType, {
    nullable: true,
    description: 'The current plan (in force, draft or under revision)',
  })
  sipPlan(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.currentPlanByPerson.load(o.personId);
  }

  @ResolveField(() => CollaborationGroupType, { nullable: true })
  collaborationGroup(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.groupByPerson.load(o.personId);
  }

  @ResolveField(() => [GroupMemberType], { description: "The group's current roster" })
  async roster(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    const group = await ctx.loaders.groupByPerson.load(o.personId);
    const day = today();
    return group ? (await ctx.loaders.membersByGroup.load(group.id)).filter((m) => isActiveMember(m, day)) : [];
  }

  @SharedAs(SharingCategory.TIMELINE)
  @ResolveField(() => [ContactEntryType], { description: 'The ten latest contacts' })
  recentContacts(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.recentContactsByPerson.load(o.personId);
  }

  @SharedAs(SharingCategory.HOUSING)
  @ResolveField(() => HousingPlacementType, { nullable: true })
  currentHousing(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.currentHousingByPerson.load(o.personId);
  }

  @ResolveField(() => [ActTeamType])
  actTeams(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.actTeamsByPerson.load(o.personId);
  }

  @ResolveField(() => SipMeetingType, { nullable: true, description: 'The next SIP meeting still to be held' })
  async nextSipMeeting(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return nextMeeting(await ctx.loaders.sipMeetingsByPerson.load(o.personId));
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => String, { nullable: true, description: "The current plan's next follow-up date (YYYY-MM-DD)" })
  async nextFollowUpOn(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.currentPlanByPerson.load(o.personId))?.followUpOn ?? null;
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => Boolean, { description: 'The follow-up date has passed' })
  async followUpOverdue(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return followUpOverdue((await ctx.loaders.currentPlanByPerson.load(o.personId))?.followUpOn ?? null);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => [ResponsibilityType], {
    description:
      'Who is responsible for what in the current plan: each responsible organisation (the one with overall responsibility first) with its interventions and its staff in the group',
  })
  async responsibilities(
    @Parent() o: PatientOverviewType,
    @Context() ctx: GraphQLContext,
  ): Promise<ResponsibilityType[]> {
    const plan = await ctx.loaders.currentPlanByPerson.load(o.personId);
    if (!plan) return [];
    const group = await ctx.loaders.groupByPerson.load(o.personId);
    const day = today();
    const members = group
      ? (await ctx.loaders.membersByGroup.load(group.id)).filter((m) => isActiveMember(m, day))
      : [];
    const staff = await Promise.all(members.map((m) => ctx.loaders.staff.load(m.staffId)));
    const byOrganisation = new Map<string, ResponsibilityType>();
    const entry = (organisationId: string, principal: Principal) => {
      let r = byOrganisation.get(organisationId);
      if (!r) {
        r = {
          personId: o.personId,
          organisationId,
          principal,
          overallResponsibility: false,
          interventions: [],
          contacts: members.filter((_m, i) => staff[i]?.organisationId === organisationId),
        };
        byOrganisation.set(organisationId, r);
      }
      return r;
    };
    if (plan.overallResponsibilityOrganisationId)
      entry(plan.overallResponsibilityOrganisationId, plan.overallResponsibilityPrincipal!).overallResponsibility =
        true;
    for (const intervention of plan.interventions ?? [])
      entry(intervention.responsibleOrganisationId, intervention.responsiblePrincipal).interventions.push(intervention);
    return [...byOrganisation.values()].sort(
      (a, b) => Number(b.overallResponsibility) - Number(a.overallResponsibility),
    );
  }

  @SharedAs(DECISIONS)
  @ResolveField(() => [ProposalObjectType], { description: 'The open joint decisions of the group' })
  async openProposals(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.proposalsByPerson.load(o.personId)).filter((p) => p.status === 'OPEN');
  }

  @SharedAs(DECISIONS)
  @ResolveField(() => [ProposalObjectType], {
    description: 'Open proposals that wait for your vote (yours alone: each reader gets their own)',
  })
  async votesMissing(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext, @CurrentActor() actor: Actor) {
    const open = (await ctx.loaders.proposalsByPerson.load(o.personId)).filter((p) => p.status === 'OPEN');
    const electors = await Promise.all(open.map((p) => ctx.loaders.electorsByProposal.load(p.id)));
    return open.filter((p, i) => voteMissing(p, electors[i], actor.staffId));
  }

  /** The latest of the recent contacts (newest first) is the last contact: no statement of its own. */
  @SharedAs(SharingCategory.TIMELINE)
  @ResolveField(() => GraphQLISODateTime, { nullable: true, description: 'The latest contact on the timeline' })
  async lastContactAt(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.recentContactsByPerson.load(o.personId))[0]?.occurredAt ?? null;
  }

  @SharedAs(SharingCategory.TIMELINE)
  @ResolveField(() => Int, {
    nullable: true,
    description: 'Whole days (Swedish calendar days) since the latest contact; null when there is none',
  })
  async daysSinceLastContact(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return daysSince((await ctx.loaders.recentContactsByPerson.load(o.personId))[0]?.occurredAt ?? null);
  }

  @ResolveField(() => ConsentSummaryType)
  async consent(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext): Promise<ConsentSummaryType> {
    const standing = consentStanding(await ctx.loaders.consentsByPerson.load(o.personId));
    return { ...standing, withheldFromYou: [...(await withheldFrom(ctx, o.personId))].sort() };
  }
}

@Resolver(() => ResponsibilityType)
export class ResponsibilityResolver {
  @ResolveField(() => OrganisationType)
  organisation(@Parent() r: ResponsibilityType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(r.organisationId);
  }
}

@Resolver(() => CaseloadEntryType)
export class CaseloadEntryResolver {
  /** Only entries the access policy let through reach this resolver (see OverviewResolver.caseload). */
  @ResolveField(() => PersonType)
  person(@Parent() entry: CaseloadEntryType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.person.load(entry.personId);
  }
}
