import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, IntegrationScopes } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  Consent,
  ConsentService,
  DomainError,
  IntegrationScope,
  TimelineService,
  today,
} from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { StaffMemberType } from '../staff/staff.types';
import {
  ConsentType,
  PersonAccessType,
  PersonContactType,
  RecordConsentInput,
  WithdrawConsentInput,
} from './consent.types';

function toType(consent: Consent): ConsentType {
  return {
    ...consent,
    active:
      consent.withdrawnAt === null &&
      consent.validFrom <= today() &&
      (consent.validTo === null || consent.validTo >= today()),
  };
}

/**
 * Consent is recorded by staff who already see the person's data, and withdrawn by anyone with a
 * relation to the person (the person may tell any of them); reading the consents needs full access.
 * Who may do which, and whether a consent lets someone see the person, is the access policy's to decide.
 */
@Resolver(() => ConsentType)
export class ConsentResolver {
  constructor(
    private readonly consentService: ConsentService,
    private readonly access: AccessPolicy,
  ) {}

  @IntegrationScopes(IntegrationScope.PERSON_READ)
  @Query(() => [ConsentType], { description: "The person's consents, newest first, withdrawn ones included" })
  async consents(@Args('personId', { type: () => ID }, UuidPipe) personId: string, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, personId, AccessAction.READ_PERSON, 'person', 'consents');
    return (await this.consentService.forPerson(personId)).map(toType);
  }

  @Mutation(() => ConsentType, {
    description: 'Records a consent; it counts from its first day, for every request and subscription',
  })
  async recordConsent(@Args('input') input: RecordConsentInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseConsentRecording(actor, input.personId);
    return toType(await this.consentService.record(actor, input));
  }

  @Mutation(() => ConsentType, {
    description: 'Withdraws a consent at once: sharing that rested on it stops with the next request or event',
  })
  async withdrawConsent(@Args('input') input: WithdrawConsentInput, @CurrentActor() actor: Actor) {
    const personId = await this.consentService.personOf(input.consentId);
    if (!personId) throw DomainError.notFound('consent');
    try {
      await this.access.decideOne(actor, personId, 'withdrawConsent', AccessAction.WRITE);
    } catch {
      throw DomainError.notFound('consent');
    }
    return toType(await this.consentService.withdraw(actor, input.consentId, input.note ?? null));
  }
}

@Resolver(() => PersonAccessType)
export class PersonAccessResolver {
  constructor(
    private readonly access: AccessPolicy,
    private readonly timeline: TimelineService,
  ) {}

  @Query(() => PersonAccessType, {
    description:
      'What you may see of a person you have a relation to; without a consent covering you, only that a plan exists and whom to contact',
  })
  async personAccess(
    @Args('personId', { type: () => ID }, UuidPipe) personId: string,
    @CurrentActor() actor: Actor,
    @Context() ctx: GraphQLContext,
  ) {
    const decision = await this.access.decideOne(actor, personId, 'personAccess');
    const [plan, group, own] = await Promise.all([
      ctx.loaders.currentPlanByPerson.load(personId),
      ctx.loaders.groupByPerson.load(personId),
      this.timeline.recordedByOrganisation(personId, actor.organisationId),
    ]);
    const members = group ? await ctx.loaders.membersByGroup.load(group.id) : [];
    const day = today();
    const contacts: PersonContactType[] = [];
    if (group?.coordinatorStaffId) contacts.push({ role: 'coordinator', staffId: group.coordinatorStaffId });
    for (const m of members) {
      if (
        m.votingRepresentative &&
        m.validFrom <= day &&
        (m.validTo === null || m.validTo >= day) &&
        m.staffId !== group?.coordinatorStaffId
      ) {
        contacts.push({ role: m.role, staffId: m.staffId });
      }
    }
    return {
      personId,
      level: decision.level,
      ground: decision.ground,
      planExists: plan !== null,
      contacts,
      // The organisation's own records need no consent; protected whereabouts stay hidden as everywhere (SharedAs).
      ownOrganisationContacts: own,
    };
  }
}

@Resolver(() => PersonContactType)
export class PersonContactResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() contact: PersonContactType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(contact.staffId);
  }
}
