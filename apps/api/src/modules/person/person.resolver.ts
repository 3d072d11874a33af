import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  DECISIONS,
  DomainError,
  formatIdentityNumber,
  IntegrationScope,
  Person,
  PersonService,
  SharingCategory,
  TimelineService,
} from '@samverka/domain';
import { PageArgs, toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { primeWithheld, SharedAs } from '../../graphql/withheld';
import { ActTeamType } from '../act-team/act-team.types';
import { CollaborationGroupType } from '../collaboration/collaboration.types';
import { CareEpisodeType, ProposalObjectType } from '../decisions/decisions.types';
import { HousingPlacementType } from '../housing/housing.types';
import { SipPlanType } from '../sip-plan/sip-plan.types';
import { ContactEntryConnection, ContactEntryType } from '../timeline/timeline.types';
import {
  ChildType,
  FindPersonInput,
  IdentityRecordType,
  PersonSearchResultType,
  PersonType,
  RegisterPersonInput,
  RelativeType,
  UpdatePersonInput,
} from './person.types';

/**
 * A Person object only ever leaves a resolver after the AccessPolicy has let the actor see it, so the
 * field resolvers below can load the person's relations without checking again; the fields a consent
 * can withhold ("do not share X with Y") declare their category (SharedAs) and come back empty.
 */
@Resolver(() => PersonType)
export class PersonResolver {
  constructor(
    private readonly persons: PersonService,
    private readonly timeline: TimelineService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.PERSON_READ)
  @Query(() => PersonType, { description: 'A person you may see (collaboration group or ACT team)' })
  async person(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @CurrentActor() actor: Actor,
    @Context() ctx: GraphQLContext,
  ) {
    const withheld = await this.access.authoriseOneWithLimits(actor, id, AccessAction.READ_PERSON);
    primeWithheld(ctx, id, withheld);
    return ctx.loaders.person.load(id);
  }

  @IntegrationScopes(IntegrationScope.PERSON_READ)
  @Query(() => PersonSearchResultType, {
    description:
      'Find a person before registering: by identity number, temporary reference, or exact name and birth year. Answers only persons you may see',
  })
  findPersons(@Args('input') input: FindPersonInput, @CurrentActor() actor: Actor) {
    this.access.assertCareStaffOrClient(actor);
    return this.persons.find(actor, input, (ids) =>
      this.access.authorise(actor, ids, AccessAction.READ_PERSON, 'findPersons'),
    );
  }

  @IntegrationScopes(IntegrationScope.PERSON_WRITE)
  @Mutation(() => PersonType, {
    description: 'Registers a person and opens their collaboration group with you as coordinator',
  })
  registerPerson(@Args('input') input: RegisterPersonInput, @CurrentActor() actor: Actor) {
    this.access.assertCareStaffOrClient(actor);
    return this.persons.register(actor, input);
  }

  @IntegrationScopes(IntegrationScope.PERSON_WRITE)
  @Mutation(() => PersonType)
  async updatePerson(
    @Args('personId', { type: () => ID }, UuidPipe) personId: string,
    @Args('input') input: UpdatePersonInput,
    @CurrentActor() actor: Actor,
  ) {
    const withheld = await this.access.authoriseOneWithLimits(actor, personId, AccessAction.WRITE);
    // What a consent withholds from the actor's organisation ("do not share the family with Y") is not overwritten from there either.
    if (
      withheld.has(SharingCategory.FAMILY) &&
      (input.childrenStatus !== undefined || input.children !== undefined || input.childImpactNote !== undefined)
    ) {
      throw DomainError.forbidden(
        "A consent withholds the person's family from your organisation: the children question is answered by others",
      );
    }
    return this.persons.update(actor, personId, input);
  }

  @ResolveField(() => String, { nullable: true })
  identityNumber(@Parent() person: Person) {
    return formatIdentityNumber(person.identityKind, person.identityNumber);
  }

  @ResolveField(() => [IdentityRecordType], {
    description: 'Identities the person had before the current one, latest first',
  })
  async identityHistory(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    const records = await ctx.loaders.identityHistoryByPerson.load(person.id);
    return records.map((r) => ({ ...r, identityNumber: formatIdentityNumber(r.identityKind, r.identityNumber) }));
  }

  @SharedAs(SharingCategory.FAMILY)
  @ResolveField(() => [ChildType])
  children(@Parent() person: Person): ChildType[] {
    const year = new Date().getUTCFullYear();
    return person.children.map((c) => ({ ...c, age: year - c.birthYear }));
  }

  @SharedAs(SharingCategory.FAMILY)
  @ResolveField(() => String, {
    nullable: true,
    description: "How the person's situation affects their children (barnkonsekvens)",
  })
  childImpactNote(@Parent() person: Person): string | null {
    return person.childImpactNote;
  }

  @SharedAs(SharingCategory.FAMILY)
  @ResolveField(() => [RelativeType], { description: 'Current relatives (ended ones are kept, not listed)' })
  relatives(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.relativesByPerson.load(person.id);
  }

  @ResolveField(() => CollaborationGroupType, { nullable: true })
  collaborationGroup(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.groupByPerson.load(person.id);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => SipPlanType, { nullable: true, description: 'The plan in force, being drafted or being revised' })
  currentSipPlan(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.currentPlanByPerson.load(person.id);
  }

  @SharedAs(SharingCategory.SIP_PLAN)
  @ResolveField(() => [SipPlanType], { description: 'Every plan, newest first, closed ones included' })
  sipPlans(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.plansByPerson.load(person.id);
  }

  @SharedAs(SharingCategory.TIMELINE)
  @ResolveField(() => [ContactEntryType], { description: 'The latest contacts, newest first (at most 10)' })
  async recentContacts(
    @Parent() person: Person,
    @Context() ctx: GraphQLContext,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit: number,
  ) {
    const entries = await ctx.loaders.recentContactsByPerson.load(person.id);
    return entries.slice(0, Math.max(0, limit));
  }

  @SharedAs(SharingCategory.TIMELINE)
  @ResolveField(() => ContactEntryConnection, { description: 'The whole timeline, newest first' })
  async timelineEntries(@Parent() person: Person, @Args() page: PageArgs) {
    const result = await this.timeline.list(person.id, page);
    return toConnection(result);
  }

  @SharedAs(SharingCategory.HOUSING)
  @ResolveField(() => HousingPlacementType, { nullable: true })
  currentHousing(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.currentHousingByPerson.load(person.id);
  }

  @SharedAs(SharingCategory.HOUSING)
  @ResolveField(() => [HousingPlacementType], { description: 'Every placement, latest first' })
  housingHistory(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.housingHistoryByPerson.load(person.id);
  }

  @ResolveField(() => [CareEpisodeType], { description: "Each principal's involvement, latest first" })
  careEpisodes(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.episodesByPerson.load(person.id);
  }

  @SharedAs(DECISIONS)
  @ResolveField(() => [ProposalObjectType], { description: 'Joint decisions of the collaboration group, latest first' })
  proposals(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.proposalsByPerson.load(person.id);
  }

  @ResolveField(() => [ActTeamType])
  actTeams(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.actTeamsByPerson.load(person.id);
  }
}
