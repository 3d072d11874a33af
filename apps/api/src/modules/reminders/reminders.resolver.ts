import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, AdministratorsOnly, CurrentActor } from '@samverka/auth';
import {
  AccessAction,
  Actor,
  CaseCheckService,
  NotificationService,
  Person,
  REMINDER_SHARED_AS,
  REMINDER_SUBJECT,
  ReminderDispatcher,
  ReminderRule,
  SipMeetingService,
} from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import { SharedEach } from '../../graphql/withheld';
import { PersonType } from '../person/person.types';
import {
  CaseCheckType,
  FailedDeliveryType,
  NotificationPreferencesInput,
  NotificationPreferencesType,
  PlanSipMeetingInput,
  RecordCaseCheckInput,
  RecordSipMeetingHeldInput,
  ReminderType,
  RescheduleSipMeetingInput,
  SipMeetingType,
} from './reminders.types';

/** SIP meetings and legal checks: writes that move reminders (the reminders follow by themselves). */
@Resolver(() => SipMeetingType)
export class SipMeetingResolver {
  constructor(
    private readonly meetings: SipMeetingService,
    private readonly checks: CaseCheckService,
    private readonly access: AccessPolicy,
  ) {}

  /** Access to a meeting is access to its person; the answer hides the place of a protected identity as every meeting does (SharedAs). */
  private async authorisedMeeting(actor: Actor, meetingId: string): Promise<void> {
    const personId = await this.meetings.personOf(meetingId);
    await this.access.authoriseOne(actor, personId ?? meetingId, AccessAction.WRITE, 'meeting');
  }

  @Mutation(() => SipMeetingType, {
    description: 'Plans a SIP meeting; participants (and the person, if invited) are summoned',
  })
  async planSipMeeting(@Args('input') input: PlanSipMeetingInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.meetings.plan(actor, input);
  }

  @Mutation(() => SipMeetingType, {
    description: 'Moves a planned meeting or changes its participants; everyone is summoned again',
  })
  async rescheduleSipMeeting(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: RescheduleSipMeetingInput,
    @CurrentActor() actor: Actor,
  ) {
    await this.authorisedMeeting(actor, id);
    return this.meetings.reschedule(id, input);
  }

  @Mutation(() => SipMeetingType, { description: 'Cancels a planned meeting; those already summoned are told' })
  async cancelSipMeeting(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    await this.authorisedMeeting(actor, id);
    return this.meetings.cancel(id);
  }

  @Mutation(() => SipMeetingType, { description: 'Records that the meeting was held: minutes and attendance' })
  async recordSipMeetingHeld(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @Args('input') input: RecordSipMeetingHeldInput,
    @CurrentActor() actor: Actor,
  ) {
    await this.authorisedMeeting(actor, id);
    return this.meetings.recordHeld(id, input);
  }

  @Mutation(() => CaseCheckType, {
    description: 'Records a legal check as done (relatives, violence, LVM report or pre-assessment)',
  })
  async recordCaseCheck(@Args('input') input: RecordCaseCheckInput, @CurrentActor() actor: Actor) {
    await this.access.authoriseOne(actor, input.personId, AccessAction.WRITE);
    return this.checks.record(actor, input);
  }
}

/** The person's meetings, checks and coming reminders (the parent Person was access-checked); batched per request. */
@Resolver(() => PersonType)
export class PersonRemindersResolver {
  @ResolveField(() => [SipMeetingType], { description: 'SIP meetings, latest first' })
  sipMeetings(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.sipMeetingsByPerson.load(person.id);
  }

  @ResolveField(() => [CaseCheckType], { description: 'Legal checks recorded as done' })
  caseChecks(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return ctx.loaders.caseChecksByPerson.load(person.id);
  }

  @SharedEach((reminder: { rule: ReminderRule }) => REMINDER_SHARED_AS[reminder.rule])
  @ResolveField(() => [ReminderType], {
    description:
      'Reminders scheduled for this person, soonest first (at most 50); those about data a consent withholds from your organisation are left out',
  })
  async upcomingReminders(@Parent() person: Person, @Context() ctx: GraphQLContext) {
    return (await ctx.loaders.upcomingRemindersByPerson.load(person.id))
      .slice(0, 50)
      .map((r) => ({ ...r, subject: REMINDER_SUBJECT[r.rule as ReminderRule] }));
  }
}

/** Each staff member's own notification settings, and the administrators' list of messages that failed. */
@Resolver(() => NotificationPreferencesType)
export class NotificationPreferencesResolver {
  constructor(
    private readonly inbox: NotificationService,
    private readonly dispatcher: ReminderDispatcher,
  ) {}

  @Query(() => NotificationPreferencesType)
  myNotificationPreferences(@CurrentActor() actor: Actor) {
    return this.inbox.preferences(actor.staffId);
  }

  @Mutation(() => NotificationPreferencesType)
  setNotificationPreferences(@Args('input') input: NotificationPreferencesInput, @CurrentActor() actor: Actor) {
    return this.inbox.setPreferences(actor.staffId, {
      ...input,
      quietFrom: input.quietFrom ?? null,
      quietTo: input.quietTo ?? null,
    });
  }

  @AdministratorsOnly()
  @Mutation(() => Boolean, {
    description: 'Sends an e-mail or SMS that failed after its last attempt again, with new attempts (administrators)',
  })
  async retryFailedDelivery(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    await this.dispatcher.retryFailedDelivery(id, actor.staffId);
    return true;
  }

  @AdministratorsOnly()
  @Query(() => [FailedDeliveryType], {
    description: 'E-mails and SMS that failed after their last attempt, newest first',
  })
  async failedDeliveries() {
    return (await this.dispatcher.failedDeliveries()).map((d) => ({
      id: d.id,
      channel: d.channel,
      rule: d.rule,
      recipientStaffId: d.recipient_staff_id,
      recipientPersonId: d.recipient_person_id,
      attempts: d.attempts,
      lastError: d.last_error,
      failedAt: d.failed_at,
    }));
  }
}
