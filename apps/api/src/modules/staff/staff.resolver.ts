import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdministratorsOnly } from '@samverka/auth';
import { StaffService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { OrganisationType, UnitType } from '../organisation/organisation.types';
import { CreateStaffMemberInput, SetStaffActiveInput, StaffListArgs, StaffMemberConnection, StaffMemberType } from './staff.types';

/** The staff directory: names, professions and contact details of colleagues in both bodies. */
@Resolver(() => StaffMemberType)
export class StaffResolver {
  constructor(private readonly staff: StaffService) {}

  @Query(() => StaffMemberConnection)
  async staffMembers(@Args() args: StaffListArgs) {
    return toConnection(await this.staff.list(args, { organisationId: args.organisationId, profession: args.profession }));
  }

  @AdministratorsOnly()
  @Mutation(() => StaffMemberType)
  createStaffMember(@Args('input') input: CreateStaffMemberInput) {
    return this.staff.create(input);
  }

  @AdministratorsOnly()
  @Mutation(() => StaffMemberType)
  setStaffActive(@Args('input') input: SetStaffActiveInput) {
    return this.staff.setActive(input.staffId, input.active);
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
