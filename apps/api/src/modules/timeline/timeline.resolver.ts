import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, Actor, ContactEntry, TimelineService } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { StaffMemberType } from '../staff/staff.types';
import { ContactEntryType, RecordContactInput } from './timeline.types';

@Resolver(() => ContactEntryType)
export class TimelineResolver {
  constructor(
    private readonly timeline: TimelineService,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => ContactEntryType, { description: 'Records a contact with the person on the shared timeline' })
  async recordContact(@Args('input') input: RecordContactInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.timeline.record(actor, input.personId, input);
  }

  @ResolveField(() => StaffMemberType)
  staff(@Parent() entry: ContactEntry, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(entry.staffId);
  }
}
