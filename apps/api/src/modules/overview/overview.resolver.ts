import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, Actor, CaseloadRow, CaseloadService, isActiveMember, SharingCategory, today } from '@samverka/domain';
import { PageArgs, toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { primeWithheld, SharedAs } from '../../graphql/withheld';
import { ActTeamType } from '../act-team/act-team.types';
import { CollaborationGroupType, GroupMemberType } from '../collaboration/collaboration.types';
import { HousingPlacementType } from '../housing/housing.types';
import { PersonType } from '../person/person.types';
import { SipPlanType } from '../sip-plan/sip-plan.types';
import { ContactEntryType } from '../timeline/timeline.types';
import { CaseloadConnection, CaseloadEntryType, PatientOverviewType } from './overview.types';

@Resolver(() => PatientOverviewType)
export class OverviewResolver {
  constructor(
    private readonly access: AccessPolicy,
    private readonly caseloads: CaseloadService,
  ) {}

  @Query(() => PatientOverviewType)
  async patientOverview(@Args('personId', { type: () => ID }, UuidPipe) personId: string, @CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    const withheld = await this.access.authoriseOneWithLimits(actor, personId, AccessAction.READ_OVERVIEW);
    primeWithheld(ctx, personId, withheld);
    return { personId };
  }

  @Query(() => CaseloadConnection, { description: 'Your persons, through a collaboration group or an ACT team; soonest follow-up first' })
  async caseload(@Args() page: PageArgs, @CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    const result = await this.caseloads.forStaff(actor.staffId, page);
    // The caseload query finds candidates; the access policy is still the one that decides and logs.
    const visible = await this.access.authoriseWithLimits(actor, result.items.map((r) => r.personId), AccessAction.READ_CASELOAD);
    for (const [personId, withheld] of visible) primeWithheld(ctx, personId, withheld);
    const day = today();
    const kept = result.items.map((item, i) => ({ item, cursor: result.cursors[i] })).filter(({ item }) => visible.has(item.personId));
    // "Do not share the SIP plan with us" hides the plan's status and follow-up date too (CaseloadEntry's SharedAs).
    return toConnection({ items: kept.map((k) => k.item), cursors: kept.map((k) => k.cursor), hasNextPage: result.hasNextPage }, (row: CaseloadRow) => ({
      ...row,
      followUpOverdue: row.nextFollowUpOn !== null && row.nextFollowUpOn < day,
    }));
  }

  @ResolveField(() => PersonType)
  person(@Parent() o: PatientOverviewType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.person.load(o.personId);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => SipPlanType, { nullable: true, description: 'The current plan (in force, draft or under revision)' })
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
}

@Resolver(() => CaseloadEntryType)
export class CaseloadEntryResolver {
  /** Only entries the access policy let through reach this resolver (see OverviewResolver.caseload). */
  @ResolveField(() => PersonType)
  person(@Parent() entry: CaseloadEntryType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.person.load(entry.personId);
  }
}
