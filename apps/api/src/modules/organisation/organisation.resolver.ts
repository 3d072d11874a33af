import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, AdministratorsOnly, CurrentActor, IntegrationScopes } from '@samverka/auth';
import { Actor, IntegrationScope, OrganisationService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import {
  CreateOrganisationInput,
  CreateUnitInput,
  OrganisationConnection,
  OrganisationListArgs,
  OrganisationType,
  UnitType,
} from './organisation.types';

/** The organisation directory: every signed-in staff member may read it. */
@Resolver(() => OrganisationType)
export class OrganisationResolver {
  constructor(
    private readonly directory: OrganisationService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.DIRECTORY_READ)
  @Query(() => OrganisationConnection)
  async organisations(@Args() args: OrganisationListArgs) {
    return toConnection(await this.directory.list(args, { principal: args.principal }));
  }

  @AdministratorsOnly()
  @Mutation(() => OrganisationType)
  createOrganisation(@Args('input') input: CreateOrganisationInput) {
    return this.directory.create(input);
  }

  @IntegrationScopes(IntegrationScope.DIRECTORY_WRITE)
  @Mutation(() => UnitType, {
    description: "A unit of an organisation: the administrator, or the organisation's own administrator",
  })
  createUnit(@Args('input') input: CreateUnitInput, @CurrentActor() actor: Actor) {
    this.access.assertMayManageOrganisation(actor, input.organisationId);
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
