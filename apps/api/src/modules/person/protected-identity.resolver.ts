import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { Actor, PersonService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { PersonType } from './person.types';
import {
  ProtectedIdentityChangeArgs,
  ProtectedIdentityChangeConnection,
  ProtectedIdentityChangeType,
  ReviewProtectedIdentityChangeInput,
  SetProtectedIdentityInput,
} from './protected-identity.types';

/** A person's protection level: changed only as its own, reasoned act, and reviewed by auditors. */
@Resolver()
export class ProtectedIdentityResolver {
  constructor(
    private readonly persons: PersonService,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => PersonType, {
    description:
      "Changes a person's protection level, stating why: staff of the person's own principal in the group or ACT team, authorised for protected whereabouts; the group is notified and it is listed for review",
  })
  async setProtectedIdentity(@Args('input') input: SetProtectedIdentityInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseProtectionChange(actor, input.personId);
    return this.persons.setProtectedIdentity(actor, input.personId, input.level, input.reason);
  }

  @Query(() => ProtectedIdentityChangeConnection, {
    description: 'Changes of protection levels for review, newest first (auditors)',
  })
  async protectedIdentityChanges(@Args() args: ProtectedIdentityChangeArgs, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const page = await this.persons.protectionChanges(args, { unreviewedOnly: args.unreviewedOnly });
    await this.access.logAuditReview(
      actor,
      page.items.map((c) => c.personId),
      'protectedIdentityChanges',
    );
    return toConnection(page);
  }

  @Mutation(() => ProtectedIdentityChangeType, {
    description: 'Marks a change of a protection level as reviewed (auditors)',
  })
  async reviewProtectedIdentityChange(
    @Args('input') input: ReviewProtectedIdentityChangeInput,
    @CurrentActor() actor: Actor,
  ) {
    this.access.assertAuditor(actor);
    const reviewed = await this.persons.reviewProtectionChange(actor, input.id, input.note ?? null);
    await this.access.logAuditReview(actor, [reviewed.personId], 'reviewProtectedIdentityChange');
    return reviewed;
  }
}
