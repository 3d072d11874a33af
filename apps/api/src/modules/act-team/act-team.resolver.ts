import {
  Args,
  Context,
  GraphQLISODateTime,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { AccessPolicy, AdministratorsOnly, CurrentActor, IntegrationScopes } from '@samverka/auth';
import { AccessAction, ActTeam, ActTeamMember, ActTeamService, Actor, IntegrationScope } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { OrganisationType } from '../organisation/organisation.types';
import { PersonType } from '../person/person.types';
import { StaffMemberType } from '../staff/staff.types';
import {
  ActTeamCaseloadFiguresType,
  ActTeamMemberCaseloadFiguresType,
  ActTeamClientType,
  ActTeamMemberType,
  ActTeamType,
  AddActTeamMemberInput,
  AddOnCallShiftInput,
  ChangeCaseManagerInput,
  EndActTeamPlaceInput,
  CreateActTeamInput,
  SetNoContactAlertDaysInput,
  EnrolInActTeamInput,
  OnCallShiftType,
} from './act-team.types';

@Resolver(() => ActTeamType)
export class ActTeamResolver {
  constructor(
    private readonly teams: ActTeamService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.DIRECTORY_READ)
  @Query(() => [ActTeamType])
  actTeams() {
    return this.teams.list();
  }

  @IntegrationScopes(IntegrationScope.DIRECTORY_READ)
  @Query(() => ActTeamType)
  actTeam(@Args('id', { type: () => ID }, UuidPipe) id: string) {
    return this.teams.get(id);
  }

  @AdministratorsOnly()
  @Mutation(() => ActTeamType)
  createActTeam(@Args('input') input: CreateActTeamInput) {
    return this.teams.create(input);
  }

  @AdministratorsOnly()
  @Mutation(() => ActTeamType, { description: 'After how many days without contact the team is reminded of a client' })
  setActTeamNoContactAlertDays(@Args('input') input: SetNoContactAlertDaysInput) {
    return this.teams.setNoContactAlertDays(input.teamId, input.days);
  }

  @AdministratorsOnly()
  @Mutation(() => ActTeamMemberType, {
    description: 'Adds a staff member to the roster; another administrator must add you',
  })
  addActTeamMember(@Args('input') input: AddActTeamMemberInput, @CurrentActor() actor: Actor) {
    this.access.assertNotAboutOneself(actor, input.staffId, 'add you to an ACT team');
    return this.teams.addMember(input.teamId, input);
  }

  @AdministratorsOnly()
  @Mutation(() => ActTeamMemberType, { description: 'Ends a roster membership; another administrator must end yours' })
  async endActTeamMembership(
    @Args('memberId', { type: () => ID }, UuidPipe) memberId: string,
    @CurrentActor() actor: Actor,
  ) {
    this.access.assertNotAboutOneself(actor, await this.teams.memberStaffId(memberId), 'end your ACT team membership');
    return this.teams.endMember(memberId);
  }

  @AdministratorsOnly()
  @Mutation(() => OnCallShiftType, {
    description: "Puts a team member on the team's on-call phone; another administrator must put you on it",
  })
  addOnCallShift(@Args('input') input: AddOnCallShiftInput, @CurrentActor() actor: Actor) {
    this.access.assertNotAboutOneself(actor, input.staffId, 'put you on call');
    return this.teams.addOnCallShift(input.teamId, input);
  }

  @Mutation(() => ActTeamClientType, { description: "Puts a person you may see on the team's caseload" })
  async enrolInActTeam(@Args('input') input: EnrolInActTeamInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.teams.enrolPerson(input.teamId, input);
  }

  @Mutation(() => ActTeamClientType, {
    description:
      "Gives a person on the caseload another case manager from the team's roster (team or group members with write access)",
  })
  async changeCaseManager(@Args('input') input: ChangeCaseManagerInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, await this.teams.clientPersonId(input.clientId), AccessAction.WRITE);
    return this.teams.changeCaseManager(actor, input.clientId, input.caseManagerStaffId);
  }

  @Mutation(() => ActTeamClientType, {
    description: "Ends a person's place on the caseload today, at once (team or group members with write access)",
  })
  async endActTeamPlace(@Args('input') input: EndActTeamPlaceInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, await this.teams.clientPersonId(input.clientId), AccessAction.WRITE);
    return this.teams.endPlace(actor, input.clientId);
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() team: ActTeam, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(team.organisationId);
  }

  @ResolveField(() => [ActTeamMemberType], { description: 'The current roster' })
  async roster(@Parent() team: ActTeam, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.actTeamMembers.load(team.id)).filter((m) => m.validTo === null);
  }

  @ResolveField(() => [OnCallShiftType], {
    description: 'Who answers the on-call phone now; empty means a gap in the cover',
  })
  onCallNow(@Parent() team: ActTeam, @Context() ctx: GraphQLContext) {
    return ctx.loaders.onCallNowByTeam.load(team.id);
  }

  @ResolveField(() => [OnCallShiftType], {
    description:
      'The on-call shifts overlapping [from, to) (at most 31 days), earliest first; time no shift covers is a gap in the cover',
  })
  onCallShifts(
    @Parent() team: ActTeam,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime }) to: Date,
  ) {
    return this.teams.onCallBetween(team.id, from, to);
  }

  @ResolveField(() => ActTeamCaseloadFiguresType)
  caseloadFigures(@Parent() team: ActTeam, @Context() ctx: GraphQLContext) {
    return ctx.loaders.actTeamFigures.load(team.id);
  }

  @ResolveField(() => [ActTeamClientType], { description: 'The persons on the caseload that you may see' })
  async caseload(@Parent() team: ActTeam, @Context() ctx: GraphQLContext, @CurrentActor() actor: Actor) {
    const clients = await ctx.loaders.actTeamClients.load(team.id);
    const visible = await this.access.authorise(
      actor,
      clients.map((c) => c.personId),
      AccessAction.READ_CASELOAD,
    );
    return clients.filter((c) => visible.has(c.personId));
  }
}

@Resolver(() => ActTeamMemberType)
export class ActTeamMemberResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() member: ActTeamMember, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(member.staffId);
  }

  @ResolveField(() => ActTeamMemberCaseloadFiguresType, {
    nullable: true,
    description: "The member's caseload against the guideline; null once the membership has ended",
  })
  async caseloadFigures(@Parent() member: ActTeamMember, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.actTeamMemberFigures.load(member.teamId)).get(member.id) ?? null;
  }
}

@Resolver(() => ActTeamClientType)
export class ActTeamClientResolver {
  /** Only clients the actor may see reach this resolver (see ActTeamResolver.caseload). */
  @ResolveField(() => PersonType)
  person(@Parent() client: ActTeamClientType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.person.load(client.personId);
  }

  @ResolveField(() => StaffMemberType, { nullable: true })
  caseManager(@Parent() client: ActTeamClientType, @Context() ctx: GraphQLContext) {
    return client.caseManagerStaffId ? ctx.loaders.staff.load(client.caseManagerStaffId) : null;
  }
}

@Resolver(() => OnCallShiftType)
export class OnCallShiftResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() shift: OnCallShiftType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(shift.staffId);
  }
}
