import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import { AccessAction, Actor, DomainError, IntegrationScope, RelativeService, SharingCategory } from '@samverka/domain';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { AddRelativeInput, RelativeType, UpdateRelativeInput } from './person.types';

/** A person's relatives: whoever may write the person's data may add, change and end them (the access log records it). */
@Resolver(() => RelativeType)
export class RelativeResolver {
  constructor(
    private readonly relatives: RelativeService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.PERSON_WRITE)
  @Mutation(() => RelativeType, { description: 'Adds a relative; the collaboration group is told' })
  async addRelative(
    @Args('personId', { type: () => ID }, UuidPipe) personId: string,
    @Args('input') input: AddRelativeInput,
    @CurrentActor() actor: Actor,
  ) {
    await this.access.authoriseOne(actor, personId, AccessAction.WRITE);
    return this.relatives.add(personId, input);
  }

  @IntegrationScopes(IntegrationScope.PERSON_WRITE)
  @Mutation(() => RelativeType, {
    description: "Changes a relative's details, e.g. whether they may take part in SIP meetings; the group is told",
  })
  async updateRelative(
    @Args('relativeId', { type: () => ID }, UuidPipe) relativeId: string,
    @Args('input') input: UpdateRelativeInput,
    @CurrentActor() actor: Actor,
  ) {
    await this.authorisedRelative(actor, relativeId);
    return this.relatives.update(relativeId, input);
  }

  @IntegrationScopes(IntegrationScope.PERSON_WRITE)
  @Mutation(() => RelativeType, {
    description: "Ends a relative's involvement today (never back-dated); kept, no longer listed; the group is told",
  })
  async endRelative(
    @Args('relativeId', { type: () => ID }, UuidPipe) relativeId: string,
    @CurrentActor() actor: Actor,
  ) {
    await this.authorisedRelative(actor, relativeId);
    return this.relatives.end(relativeId);
  }

  /**
   * The same refusal whether the relative does not exist or belongs to a person the actor may not write; a
   * consent that withholds the family from the actor's organisation withholds the relatives too.
   */
  private async authorisedRelative(actor: Actor, relativeId: string): Promise<void> {
    const personId = await this.relatives.personOf(relativeId);
    const withheld = await this.access.authoriseOneWithLimits(
      actor,
      personId ?? relativeId,
      AccessAction.WRITE,
      'relative',
    );
    if (withheld.has(SharingCategory.FAMILY)) throw DomainError.notFound('relative');
  }
}
