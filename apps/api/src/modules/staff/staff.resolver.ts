import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, AdministratorsOnly, CurrentActor, IntegrationScopes } from '@samverka/auth';
import { Actor, ApiKeyService, IntegrationScope, StaffService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { OrganisationType, UnitType } from '../organisation/organisation.types';
import {
  CreateIntegrationClientInput,
  DirectoryEntryType,
  StaffDirectoryArgs,
  CreateStaffMemberInput,
  IntegrationClientPayload,
  SetStaffActiveInput,
  SetStaffRolesInput,
  StaffListArgs,
  StaffMemberConnection,
  StaffMemberType,
} from './staff.types';

/** The staff directory: names, professions and contact details of colleagues in both bodies. */
@Resolver(() => StaffMemberType)
export class StaffResolver {
  constructor(
    private readonly staff: StaffService,
    private readonly apiKeys: ApiKeyService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.DIRECTORY_READ)
  @Query(() => StaffMemberConnection)
  async staffMembers(@Args() args: StaffListArgs) {
    return toConnection(
      await this.staff.list(args, { organisationId: args.organisationId, profession: args.profession }),
    );
  }

  @Query(() => [DirectoryEntryType], {
    description:
      'Searches the staff directory by name, as a colleague sees it (to add someone to a collaboration group): care staff only; no person data, so nothing is access-logged',
  })
  async staffDirectory(@Args() args: StaffDirectoryArgs, @CurrentActor() actor: Actor) {
    this.access.assertCareStaff(actor);
    return this.staff.searchDirectory(
      args.search,
      { principal: args.principal, organisationId: args.organisationId },
      args.first,
    );
  }

  @IntegrationScopes(IntegrationScope.DIRECTORY_WRITE)
  @Mutation(() => StaffMemberType, {
    description: "Adds a staff member: the administrator, or the organisation's own administrator",
  })
  createStaffMember(@Args('input') input: CreateStaffMemberInput, @CurrentActor() actor: Actor) {
    this.access.assertMayManageOrganisation(actor, input.organisationId);
    if (input.administrator) this.access.assertAdministrator(actor);
    return this.staff.create(input);
  }

  @Mutation(() => StaffMemberType, {
    description:
      'Roles beyond the profession. Authorising protected whereabouts: the administrator or the organisation administrator; auditor and organisation administrator: the administrator only; never your own',
  })
  async setStaffRoles(@Args('input') input: SetStaffRolesInput, @CurrentActor() actor: Actor) {
    this.access.assertMayManageOrganisation(actor, await this.staff.organisationOf(input.staffId));
    this.access.assertNotAboutOneself(actor, input.staffId, 'change your roles');
    if (input.auditor != null || input.organisationAdministrator != null) this.access.assertAdministrator(actor);
    return this.staff.setRoles(input.staffId, input);
  }

  @IntegrationScopes(IntegrationScope.DIRECTORY_WRITE)
  @Mutation(() => StaffMemberType, {
    description: "Activates or deactivates a staff member: the administrator, or the organisation's own administrator",
  })
  async setStaffActive(@Args('input') input: SetStaffActiveInput, @CurrentActor() actor: Actor) {
    this.access.assertMayManageOrganisation(actor, await this.staff.organisationOf(input.staffId));
    this.access.assertNotAboutOneself(actor, input.staffId, 'activate or deactivate you');
    return this.staff.setActive(input.staffId, input.active);
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientPayload, {
    description: 'Creates an integration client (a service account) with an API key, shown only in this answer',
  })
  createIntegrationClient(@Args('input') input: CreateIntegrationClientInput, @CurrentActor() actor: Actor) {
    return this.apiKeys.createClient(actor, input);
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientPayload, {
    description:
      "A new API key for an integration client (its service account's id), with the same scopes, shown only in this answer; the old key is refused from the next request on",
  })
  rotateIntegrationClientKey(
    @Args('staffId', { type: () => ID }, UuidPipe) staffId: string,
    @CurrentActor() actor: Actor,
  ) {
    return this.apiKeys.rotateKey(actor, staffId);
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() staff: StaffMemberType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(staff.organisationId);
  }

  @ResolveField(() => UnitType, { nullable: true })
  unit(@Parent() staff: StaffMemberType, @Context() ctx: GraphQLContext) {
    return staff.unitId ? ctx.loaders.unit.load(staff.unitId) : null;
  }
}

/** Only what a colleague may see of another staff member: no e-mail, roles or activation. */
@Resolver(() => DirectoryEntryType)
export class DirectoryEntryResolver {
  @ResolveField(() => OrganisationType)
  organisation(@Parent() entry: DirectoryEntryType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(entry.organisationId);
  }

  @ResolveField(() => UnitType, { nullable: true })
  unit(@Parent() entry: DirectoryEntryType, @Context() ctx: GraphQLContext) {
    return entry.unitId ? ctx.loaders.unit.load(entry.unitId) : null;
  }
}
