import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, Actor, HousingPlacement, HousingService, WHEREABOUTS } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { SharedAs } from '../../graphql/withheld';
import { OrganisationType } from '../organisation/organisation.types';
import { HousingPlacementType, RecordMoveInput } from './housing.types';

@Resolver(() => HousingPlacementType)
export class HousingResolver {
  constructor(
    private readonly housing: HousingService,
    private readonly access: AccessPolicy,
  ) {}

  /** The answer hides address, provider and note of a protected identity as every placement does (SharedAs). */
  @Mutation(() => HousingPlacementType, { description: 'Records a move; the current placement ends the day before' })
  async recordMove(@Args('input') input: RecordMoveInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.housing.recordMove(input.personId, input);
  }

  @SharedAs(WHEREABOUTS)
  @ResolveField(() => OrganisationType, {
    nullable: true,
    description: 'Null when the person has a protected identity (the provider locates the person)',
  })
  provider(@Parent() placement: HousingPlacement, @Context() ctx: GraphQLContext) {
    return placement.providerOrganisationId ? ctx.loaders.organisation.load(placement.providerOrganisationId) : null;
  }
}
