import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  CollaborationGroup,
  CollaborationService,
  GroupMember,
  isActiveMember,
  today,
} from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { StaffMemberType } from '../staff/staff.types';
import {
  AddGroupMemberInput,
  CollaborationGroupType,
  EndGroupMembershipInput,
  GroupMemberType,
  SetCoordinatorInput,
  SetVotingRepresentativeInput,
} from './collaboration.types';

@Resolver(() => CollaborationGroupType)
export class CollaborationGroupResolver {
  constructor(
    private readonly collaboration: CollaborationService,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => GroupMemberType)
  async addGroupMember(@Args('input') input: AddGroupMemberInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.collaboration.addMember(input.personId, input);
  }

  @Mutation(() => GroupMemberType)
  async endGroupMembership(@Args('input') input: EndGroupMembershipInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(
      actor,
      await this.collaboration.personOfMembership(input.memberId),
      AccessAction.WRITE,
    );
    return this.collaboration.endMembership(actor, input.memberId, input.validTo);
  }

  @Mutation(() => CollaborationGroupType)
  async setCoordinator(@Args('input') input: SetCoordinatorInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.collaboration.setCoordinator(actor, input.personId, input.staffId);
  }

  @Mutation(() => GroupMemberType, {
    description:
      "Marks a member as a voting representative of their principal, or no longer: the member or staff of the member's own organisation; the electorate changes, so open proposals are voided",
  })
  async setVotingRepresentative(@Args('input') input: SetVotingRepresentativeInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(
      actor,
      await this.collaboration.personOfMembership(input.memberId),
      AccessAction.WRITE,
    );
    return this.collaboration.setVotingRepresentative(actor, input.memberId, input.votingRepresentative);
  }

  @ResolveField(() => [GroupMemberType], {
    description: 'Current members (or every membership, past and future, with includeInactive)',
  })
  async members(
    @Parent() group: CollaborationGroup,
    @Context() ctx: GraphQLContext,
    @Args('includeInactive', { defaultValue: false }) includeInactive: boolean,
  ) {
    const members = await ctx.loaders.membersByGroup.load(group.id);
    const day = today();
    return includeInactive ? members : members.filter((m) => isActiveMember(m, day));
  }

  @ResolveField(() => StaffMemberType, { nullable: true })
  coordinator(@Parent() group: CollaborationGroup, @Context() ctx: GraphQLContext) {
    return group.coordinatorStaffId ? ctx.loaders.staff.load(group.coordinatorStaffId) : null;
  }
}

@Resolver(() => GroupMemberType)
export class GroupMemberResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() member: GroupMember, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(member.staffId);
  }
}
