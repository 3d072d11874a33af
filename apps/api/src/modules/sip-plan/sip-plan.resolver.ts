import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  adoptingVersions,
  DomainError,
  IntegrationScope,
  mayUpdateInterventionStatus,
  PlanIntervention,
  SharingCategory,
  SipPlan,
  SipPlanService,
  SipPlanVersion,
} from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { SharedAs } from '../../graphql/withheld';
import { OrganisationType, UnitType } from '../organisation/organisation.types';
import {
  CreateSipPlanInput,
  EditSipPlanInput,
  PlanContentInput,
  PlanInterventionType,
  RecordPlanApprovalInput,
  RecordSipFollowUpInput,
  SipPlanApprovalType,
  SetFollowUpInput,
  SipFollowUpType,
  SetInterventionStatusInput,
  SipPlanType,
  SipPlanVersionType,
  TransitionSipPlanInput,
} from './sip-plan.types';

function toEdit(content: PlanContentInput | undefined) {
  if (!content) return {};
  return {
    ...content,
    interventions: content.interventions?.map((i) => ({
      ...i,
      needId: i.needId ?? null,
      responsibleUnitId: i.responsibleUnitId ?? null,
    })),
    otherMeasures: content.otherMeasures?.map((m) => ({ ...m, organisationId: m.organisationId ?? null })),
    participants: content.participants?.map((p) => ({
      ...p,
      staffId: p.staffId ?? null,
      relativeId: p.relativeId ?? null,
      name: p.name ?? null,
    })),
  };
}

@Resolver(() => SipPlanType)
export class SipPlanResolver {
  constructor(
    private readonly plans: SipPlanService,
    private readonly access: AccessPolicy,
  ) {}

  /** Loads the plan and lets the actor through only if they may see its person (same answer for "no such plan"). */
  private async authorisedPlan(actor: Actor, planId: string, action: AccessAction): Promise<SipPlan> {
    const plan = await this.plans.get(planId);
    await this.access.authoriseOne(actor, plan.personId, action, 'plan');
    return plan;
  }

  @IntegrationScopes(IntegrationScope.PLAN_READ)
  @Query(() => SipPlanType)
  async sipPlan(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    const plan = await this.authorisedPlan(actor, id, AccessAction.READ_PLAN);
    // A consent may withhold the plan from the actor's organisation ("do not share the plan with Y").
    if (
      (await this.access.withheldCategories(actor, [plan.personId])).get(plan.personId)?.has(SharingCategory.SIP_PLAN)
    )
      throw DomainError.notFound('plan');
    return plan;
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType, { description: 'Starts a draft plan; a person has at most one current plan' })
  async createSipPlan(@Args('input') input: CreateSipPlanInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.plans.create(actor, input.personId, toEdit(input.content));
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType, {
    description: 'Edits a draft or a plan under revision; every change is kept as a version',
  })
  async editSipPlan(@Args('input') input: EditSipPlanInput, @CurrentActor() actor: Actor) {
    await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    return this.plans.edit(actor, input.planId, input.expectedVersion, toEdit(input.content));
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType, { description: 'DRAFT → ACTIVE → UNDER_REVISION → ACTIVE; any → CLOSED' })
  async transitionSipPlan(@Args('input') input: TransitionSipPlanInput, @CurrentActor() actor: Actor) {
    await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    return this.plans.transition(actor, input.planId, input.expectedVersion, input.status);
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType)
  async setInterventionStatus(@Args('input') input: SetInterventionStatusInput, @CurrentActor() actor: Actor) {
    await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    return this.plans.setInterventionStatus(
      actor,
      input.planId,
      input.expectedVersion,
      input.interventionId,
      input.status,
    );
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType)
  async setFollowUp(@Args('input') input: SetFollowUpInput, @CurrentActor() actor: Actor) {
    await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    return this.plans.setFollowUp(actor, input.planId, input.expectedVersion, input.followUpOn);
  }

  @IntegrationScopes(IntegrationScope.PLAN_WRITE)
  @Mutation(() => SipPlanType, {
    description:
      'Records that a follow-up of a plan in force was held today (never back-dated), what it found and the next follow-up date, without revising the plan; the group is told',
  })
  async recordSipFollowUp(@Args('input') input: RecordSipFollowUpInput, @CurrentActor() actor: Actor) {
    await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    return this.plans.recordFollowUp(actor, input.planId, input.expectedVersion, input);
  }

  @Mutation(() => SipPlanType, {
    description:
      "Records the person's approval of an adopted version of their plan: signed on paper, or verbally with a named witness; when is the database's clock (never back-dated); once per version, never changed",
  })
  async recordPlanApproval(@Args('input') input: RecordPlanApprovalInput, @CurrentActor() actor: Actor) {
    const plan = await this.authorisedPlan(actor, input.planId, AccessAction.WRITE);
    // Nobody records the approval of a plan a consent withholds from them (they cannot see what was approved).
    if (
      (await this.access.withheldCategories(actor, [plan.personId])).get(plan.personId)?.has(SharingCategory.SIP_PLAN)
    )
      throw DomainError.notFound('plan');
    await this.plans.recordApproval(actor, plan.id, input);
    return this.plans.get(plan.id);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => [SipFollowUpType], { description: 'Follow-ups recorded as held, newest first' })
  followUps(@Parent() plan: SipPlan, @Context() ctx: GraphQLContext) {
    return ctx.loaders.planFollowUps.load(plan.id);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => [SipPlanVersionType], { description: 'Every revision, newest first' })
  async versions(@Parent() plan: SipPlan, @Context() ctx: GraphQLContext) {
    // A snapshot names its person, so that its fields are hidden by the same rule as the plan's (SharedAs).
    const versions = await ctx.loaders.planVersions.load(plan.id);
    const adopted = adoptingVersions(versions);
    return versions.map((v) => ({
      ...v,
      adopted: adopted.has(v.version),
      snapshot: { ...v.snapshot, personId: plan.personId },
    }));
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => OrganisationType, { nullable: true })
  overallResponsibilityOrganisation(@Parent() plan: SipPlan, @Context() ctx: GraphQLContext) {
    return plan.overallResponsibilityOrganisationId
      ? ctx.loaders.organisation.load(plan.overallResponsibilityOrganisationId)
      : null;
  }
}

@Resolver(() => SipPlanVersionType)
export class SipPlanVersionResolver {
  @ResolveField(() => SipPlanApprovalType, {
    nullable: true,
    description: "The person's approval of this version; null when not (yet) approved",
  })
  async approval(@Parent() version: SipPlanVersion, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.planApprovals.load(version.planId)).find((a) => a.version === version.version) ?? null;
  }
}

@Resolver(() => PlanInterventionType)
export class PlanInterventionResolver {
  @ResolveField(() => OrganisationType)
  responsibleOrganisation(@Parent() intervention: PlanIntervention, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(intervention.responsibleOrganisationId);
  }

  @ResolveField({
    description:
      "Whether you may change its status in follow-up: it is your principal's intervention (the server decides)",
  })
  mayUpdateStatus(@Parent() intervention: PlanIntervention, @Context() ctx: GraphQLContext): boolean {
    return !!ctx.actor && mayUpdateInterventionStatus(ctx.actor, intervention);
  }

  @ResolveField(() => UnitType, { nullable: true })
  responsibleUnit(@Parent() intervention: PlanIntervention, @Context() ctx: GraphQLContext) {
    return intervention.responsibleUnitId ? ctx.loaders.unit.load(intervention.responsibleUnitId) : null;
  }
}
