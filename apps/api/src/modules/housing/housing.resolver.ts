import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, Actor, hideWhereabouts, HousingPlacement, HousingService } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { OrganisationType } from '../organisation/organisation.types';
import { HousingPlacementType, RecordMoveInput } from './housing.types';

@Resolver(() => HousingPlacementType)
export class HousingResolver {
  constructor(
    private readonly housing: HousingService,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => HousingPlacementType, { description: 'Records a move; the current placement ends the day before' })
  async recordMove(@Args('input') input: RecordMoveInput, @CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    const placement = await this.housing.recordMove(input.personId, input);
    return hideWhereabouts(await ctx.loaders.person.load(input.personId), placement, this.access.maySeeProtectedWhereabouts(actor));
  }

  @ResolveField(() => OrganisationType, { nullable: true })
  provider(@Parent() placement: HousingPlacement, @Context() ctx: GraphQLContext) {
    return placement.providerOrganisationId ? ctx.loaders.organisation.load(placement.providerOrganisationId) : null;
  }
}
