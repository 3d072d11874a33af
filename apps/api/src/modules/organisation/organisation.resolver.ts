import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdministratorsOnly } from '@samverka/auth';
import { OrganisationService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { CreateOrganisationInput, CreateUnitInput, OrganisationConnection, OrganisationListArgs, OrganisationType, UnitType } from './organisation.types';

/** The organisation directory: every signed-in staff member may read it. */
@Resolver(() => OrganisationType)
export class OrganisationResolver {
  constructor(private readonly directory: OrganisationService) {}

  @Query(() => OrganisationConnection)
  async organisations(@Args() args: OrganisationListArgs) {
    return toConnection(await this.directory.list(args, { principal: args.principal }));
  }

  @AdministratorsOnly()
  @Mutation(() => OrganisationType)
  createOrganisation(@Args('input') input: CreateOrganisationInput) {
    return this.directory.create(input);
  }

  @AdministratorsOnly()
  @Mutation(() => UnitType)
  createUnit(@Args('input') input: CreateUnitInput) {
    return this.directory.createUnit(input);
  }

  @ResolveField(() => [UnitType])
  units(@Parent() org: OrganisationType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.unitsByOrganisation.load(org.id);
  }
}

@Resolver(() => UnitType)
export class UnitResolver {
  @ResolveField(() => OrganisationType)
  organisation(@Parent() unit: UnitType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(unit.organisationId);
  }
}
