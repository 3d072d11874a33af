import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  CaseCheckKind,
  DeliveryChannel,
  PersonDataCategory,
  ReminderRule,
  ReminderSubject,
  SharingCategory,
  SipMeetingStatus,
  WHEREABOUTS,
} from '@samverka/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { SharedAs } from '../../graphql/withheld';

@ObjectType('SipMeetingParticipant')
export class SipMeetingParticipantType {
  @Field(() => ID)
  staffId: string;

  @Field(() => Boolean, { nullable: true, description: 'Null until the meeting is recorded as held' })
  attended: boolean | null;
}

@ObjectType('SipMeetingRelative', {
  description: 'A relative invited to a SIP meeting (the person agreed that they take part)',
})
export class SipMeetingRelativeType {
  @Field(() => ID)
  relativeId: string;

  @Field(() => Boolean, { nullable: true, description: 'Null until the meeting is recorded as held' })
  attended: boolean | null;
}

@ObjectType('SipMeeting', {
  description: 'A SIP meeting: the person, the summoned principals and invited others plan together',
})
export class SipMeetingType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => GraphQLISODateTime)
  startsAt: Date;

  @SharedAs(WHEREABOUTS)
  @Field(() => String, { nullable: true, description: 'Null when the person has a protected identity' })
  location: string | null;

  @Field(() => SipMeetingStatus)
  status: SipMeetingStatus;

  @Field({ description: 'Whether the person is summoned (by SMS, or a printed appointment note)' })
  invitePerson: boolean;

  @Field(() => Boolean, { nullable: true })
  personAttended: boolean | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true, description: 'Null when a consent withholds the plan from your organisation' })
  minutes: string | null;

  @Field(() => ID)
  createdBy: string;

  @Field(() => [SipMeetingParticipantType])
  participants: SipMeetingParticipantType[];

  @SharedAs(SharingCategory.FAMILY)
  @Field(() => [SipMeetingRelativeType], {
    description: 'Relatives invited; empty when a consent withholds the family from your organisation',
  })
  relatives: SipMeetingRelativeType[];
}

@InputType()
export class PlanSipMeetingInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => GraphQLISODateTime)
  @Type(() => Date)
  @IsDate()
  startsAt: Date;

  @Field()
  @IsString()
  @Length(1, 200)
  location: string;

  @Field(() => [ID], { description: 'Staff summoned or invited; each is reminded' })
  @IsUUID('all', { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  participantStaffIds: string[];

  @Field(() => [ID], {
    nullable: true,
    description: 'Relatives invited; only relatives the person agreed may take part (Relative.mayParticipate)',
  })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(10)
  participantRelativeIds?: string[] | null;

  @Field({ defaultValue: true })
  @IsBoolean()
  invitePerson: boolean;
}

@InputType()
export class RescheduleSipMeetingInput {
  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  startsAt?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  participantStaffIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'The relatives invited, replacing the list (empty: none)' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(10)
  participantRelativeIds?: string[] | null;
}

@InputType()
export class RecordSipMeetingHeldInput {
  @Field()
  @IsString()
  @MaxLength(20000)
  minutes: string;

  @Field(() => [ID])
  @IsUUID('all', { each: true })
  @ArrayMaxSize(30)
  attendedStaffIds: string[];

  @Field(() => [ID], { nullable: true, description: 'Invited relatives who attended' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(10)
  attendedRelativeIds?: string[] | null;

  @Field()
  @IsBoolean()
  personAttended: boolean;
}

/** A check's note is case work, like a timeline entry; a note on relatives tells about the family too. */
function caseCheckSharedAs(check: { kind: CaseCheckKind }): PersonDataCategory[] {
  return check.kind === CaseCheckKind.RELATIVES_IDENTIFIED
    ? [SharingCategory.TIMELINE, SharingCategory.FAMILY]
    : [SharingCategory.TIMELINE];
}

@ObjectType('CaseCheck', {
  description: 'A legal check done: relatives asked about, violence assessed, an LVM report and its pre-assessment',
})
export class CaseCheckType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => CaseCheckKind)
  kind: CaseCheckKind;

  @Field()
  doneOn: string;

  @Field(() => ID)
  recordedBy: string;

  @SharedAs(caseCheckSharedAs)
  @Field(() => String, {
    nullable: true,
    description: 'Null when a consent withholds the timeline (or, for relatives, the family) from your organisation',
  })
  note: string | null;
}

@InputType()
export class RecordCaseCheckInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => CaseCheckKind)
  @IsEnum(CaseCheckKind)
  kind: CaseCheckKind;

  @Field({ description: 'YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'doneOn must be a date that exists (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'doneOn must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  doneOn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string | null;
}

@ObjectType('Reminder', { description: 'A reminder occurrence derived from the person’s data' })
export class ReminderType {
  @Field(() => ReminderRule)
  rule: ReminderRule;

  @Field(() => GraphQLISODateTime)
  dueAt: Date;

  @Field(() => ID, { description: 'The plan, meeting, proposal or person it is about' })
  subjectId: string;

  @Field(() => ReminderSubject, {
    description: 'What it is about: the thing that happens, which the reminder comes before or after',
  })
  subject: ReminderSubject;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the thing itself happens, when it is a moment: a SIP meeting's start, a vote's deadline",
  })
  eventAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'When the thing itself happens, when it is a day (YYYY-MM-DD): the follow-up date, the last day of a consent, the day of the latest contact',
  })
  eventOn: string | null;
}

@ObjectType('NotificationPreferences', { description: 'In-app notifications always arrive; e-mail and SMS by choice' })
export class NotificationPreferencesType {
  @Field()
  email: boolean;

  @Field()
  sms: boolean;

  @Field({ description: 'sv or en' })
  locale: string;

  @Field(() => String, {
    nullable: true,
    description: 'HH:MM, Swedish time: non-urgent e-mail and SMS wait until quietTo',
  })
  quietFrom: string | null;

  @Field(() => String, { nullable: true })
  quietTo: string | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

@InputType()
export class NotificationPreferencesInput {
  @Field()
  @IsBoolean()
  email: boolean;

  @Field()
  @IsBoolean()
  sms: boolean;

  @Field({ defaultValue: 'sv' })
  @IsIn(['sv', 'en'])
  locale: 'sv' | 'en';

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HHMM, { message: 'quietFrom must be HH:MM' })
  quietFrom?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HHMM, { message: 'quietTo must be HH:MM' })
  quietTo?: string | null;
}

@ObjectType('FailedDelivery', {
  description: 'An e-mail or SMS that gave up after its last attempt (ids and codes only)',
})
export class FailedDeliveryType {
  @Field(() => ID)
  id: string;

  @Field(() => DeliveryChannel)
  channel: DeliveryChannel;

  @Field(() => ReminderRule)
  rule: ReminderRule;

  @Field(() => ID, { nullable: true })
  recipientStaffId: string | null;

  @Field(() => ID, { nullable: true })
  recipientPersonId: string | null;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => GraphQLISODateTime)
  failedAt: Date;
}
