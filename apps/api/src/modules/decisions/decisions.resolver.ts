import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  CareEpisode,
  CareEpisodeService,
  DischargeRequest,
  DischargeService,
  DomainError,
  EpisodeEndingService,
  EpisodeStatus,
  IntegrationScope,
  Proposal,
  ProposalElector,
  ProposalService,
  VoteEvent,
} from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { OrganisationType } from '../organisation/organisation.types';
import { StaffMemberType } from '../staff/staff.types';
import { DecisionEventStream } from './decision-event.stream';
import {
  CareEpisodeType,
  CastVoteInput,
  DecisionEventType,
  DischargeRequestType,
  ElectorType,
  EpisodeEndingsArgs,
  EpisodeEndingType,
  OpenCareEpisodeInput,
  OpenProposalInput,
  ProposalObjectType,
  RecordEpisodeEndingInput,
  ReviewEpisodeEndingInput,
  VoteRecordType,
  WithdrawProposalInput,
} from './decisions.types';

@Resolver(() => ProposalObjectType)
export class ProposalResolver {
  constructor(
    private readonly proposals: ProposalService,
    private readonly access: AccessPolicy,
    private readonly stream: DecisionEventStream,
  ) {}

  private async authorisedProposal(actor: Actor, id: string, action: AccessAction): Promise<Proposal> {
    const proposal = await this.proposals.get(id);
    await this.access.authoriseOne(actor, proposal.personId, action, 'proposal');
    return proposal;
  }

  @IntegrationScopes(IntegrationScope.DECISIONS_READ)
  @Query(() => ProposalObjectType)
  proposal(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    return this.authorisedProposal(actor, id, AccessAction.READ_PERSON);
  }

  @Mutation(() => ProposalObjectType, {
    description: 'Opens a proposal; the electorate is every voting representative in the group now',
  })
  async openProposal(@Args('input') input: OpenProposalInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.proposals.open(actor, input);
  }

  @Mutation(() => ProposalObjectType, { description: 'Casts or changes your vote while the proposal is open' })
  async castVote(@Args('input') input: CastVoteInput, @CurrentActor() actor: Actor) {
    await this.authorisedProposal(actor, input.proposalId, AccessAction.WRITE);
    return this.proposals.vote(actor, input.proposalId, input.choice, input.comment);
  }

  @Mutation(() => ProposalObjectType, {
    description:
      "The proposer, or staff of the proposer's organisation, withdraws an open proposal; the reason is kept",
  })
  async withdrawProposal(@Args('input') input: WithdrawProposalInput, @CurrentActor() actor: Actor) {
    await this.authorisedProposal(actor, input.proposalId, AccessAction.WRITE);
    return this.proposals.withdraw(actor, input.proposalId, input.reason);
  }

  @Subscription(() => DecisionEventType, {
    description:
      'Proposal, vote, decision and discharge events of the persons you may see (optionally one person); access is checked for every event',
  })
  decisionEvents(
    @Context() ctx: GraphQLContext,
    @Args('personId', { type: () => ID, nullable: true }, UuidPipe) personId?: string,
  ) {
    return this.stream.open(ctx, personId ?? null);
  }

  @ResolveField(() => StaffMemberType)
  proposer(@Parent() p: Proposal, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(p.proposedBy);
  }

  @ResolveField(() => [ElectorType], { description: 'The electorate and each current vote' })
  async electorate(@Parent() p: Proposal, @Context() ctx: GraphQLContext) {
    // Each vote names its person, so that its comment is hidden by the proposal's rule (SharedAs).
    return (await ctx.loaders.electorsByProposal.load(p.id)).map((e) => ({ ...e, personId: p.personId }));
  }

  @ResolveField(() => [VoteRecordType], { description: 'Every vote and vote change, oldest first' })
  async voteHistory(@Parent() p: Proposal, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.voteHistoryByProposal.load(p.id)).map((v) => ({ ...v, personId: p.personId }));
  }
}

/** An event's proposal, as the person's proposals are read (the event itself was authorised for delivery). */
@Resolver(() => DecisionEventType)
export class DecisionEventResolver {
  @ResolveField(() => ProposalObjectType, {
    nullable: true,
    description:
      'The proposal the event is about, as it stands now; its texts are hidden as everywhere a consent withholds the plan',
  })
  async proposal(@Parent() event: DecisionEventType, @Context() ctx: GraphQLContext) {
    if (!event.proposalId) return null;
    return (await ctx.loaders.proposalsByPerson.load(event.personId)).find((p) => p.id === event.proposalId) ?? null;
  }
}

@Resolver(() => ElectorType)
export class ElectorResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() e: ProposalElector, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(e.staffId);
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() e: ProposalElector, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(e.organisationId);
  }
}

@Resolver(() => VoteRecordType)
export class VoteRecordResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() v: VoteEvent, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(v.staffId);
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() v: VoteEvent, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(v.organisationId);
  }
}

@Resolver(() => CareEpisodeType)
export class CareEpisodeResolver {
  constructor(
    private readonly episodes: CareEpisodeService,
    private readonly discharges: DischargeService,
    private readonly endings: EpisodeEndingService,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => CareEpisodeType, { description: "Records your organisation's involvement with the person" })
  async openCareEpisode(@Args('input') input: OpenCareEpisodeInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.episodes.open(actor, input.personId, input);
  }

  @Mutation(() => DischargeRequestType, {
    description:
      "Asks to discharge your organisation's episode. It is executed only with a valid approved DISCHARGE decision of the group: at once when there is one, otherwise by the worker, which refuses it with the reason",
  })
  async requestDischarge(
    @Args('episodeId', { type: () => ID }, UuidPipe) episodeId: string,
    @CurrentActor() actor: Actor,
  ) {
    const episode = await this.episodes.get(episodeId);
    await this.access.authoriseOne(actor, episode.personId, AccessAction.WRITE, 'care episode');
    return this.discharges.requestDischarge(actor, episodeId);
  }

  @IntegrationScopes(IntegrationScope.DECISIONS_READ)
  @Query(() => DischargeRequestType)
  async dischargeRequest(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    const request = await this.discharges.getRequest(id);
    if (!request) throw DomainError.notFound('discharge request');
    const episode = await this.episodes.get(request.episodeId);
    await this.access.authoriseOne(actor, episode.personId, AccessAction.READ_PERSON, 'discharge request');
    return request;
  }

  @Mutation(() => CareEpisodeType, {
    description:
      "Records that the person died, moved away or withdrew consent: your organisation's own episode ends (not a discharge); the group is told and the ending is listed for review",
  })
  async recordEpisodeEnding(@Args('input') input: RecordEpisodeEndingInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.endings.recordEnding(actor, input.personId, input.reason, input.evidence);
  }

  @Query(() => [EpisodeEndingType], {
    description: "Episodes ended without the group's decision, newest first, for review (auditors)",
  })
  async episodeEndingsToReview(@Args() args: EpisodeEndingsArgs, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const endings = await this.episodes.endingsToReview(args);
    await this.access.logAuditReview(
      actor,
      endings.map((e) => e.personId),
      'episodeEndingsToReview',
    );
    return endings;
  }

  @Mutation(() => EpisodeEndingType, { description: 'Marks an episode ending as reviewed (auditors)' })
  async reviewEpisodeEnding(@Args('input') input: ReviewEpisodeEndingInput, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const reviewed = await this.episodes.reviewEnding(actor, input.episodeId, input.note ?? null);
    await this.access.logAuditReview(actor, [reviewed.personId], 'reviewEpisodeEnding');
    return reviewed;
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() e: CareEpisode, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(e.organisationId);
  }

  @ResolveField(() => [DischargeRequestType])
  dischargeRequests(@Parent() e: CareEpisode, @Context() ctx: GraphQLContext) {
    return ctx.loaders.dischargeRequestsByEpisode.load(e.id);
  }

  @ResolveField(() => Boolean, {
    description:
      'Whether an approved, unused and still valid DISCHARGE decision of the group exists: what a discharge request would execute with',
  })
  dischargeApproved(@Parent() e: CareEpisode, @Context() ctx: GraphQLContext) {
    return e.status === EpisodeStatus.ACTIVE && ctx.loaders.dischargeApproved.load(e.id);
  }
}

@Resolver(() => DischargeRequestType)
export class DischargeRequestResolver {
  @ResolveField(() => StaffMemberType)
  requester(@Parent() r: DischargeRequest, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(r.requestedBy);
  }
}
