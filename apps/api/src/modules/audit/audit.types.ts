import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ChainProblemCode, type ChainProblemParams, MIN_EMERGENCY_REASON_LENGTH } from '@samverka/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';
import { NotBefore } from '../../graphql/date-time';
import { ReviewedType, ReviewNoteInput } from '../../graphql/review.types';

@ObjectType('AccessLogEntry', {
  description:
    "One access to a person's data: who, from which organisation and role, what, when, from where, on what ground; and its review in the systematic log check, once made",
})
export class AccessLogEntryType extends ReviewedType {
  @Field(() => ID)
  id: string;

  @Field(() => GraphQLISODateTime)
  occurredAt: Date;

  @Field(() => ID)
  staffId: string;

  @Field()
  staffName: string;

  @Field(() => ID)
  organisationId: string;

  @Field()
  organisationName: string;

  @Field({ description: 'The profession, or AUDITOR' })
  role: string;

  @Field(() => ID)
  personId: string;

  @Field({ description: 'e.g. READ_OVERVIEW, READ_EVENT, WRITE' })
  action: string;

  @Field({ description: 'What was read or written, e.g. patientOverview, recordConsent' })
  entity: string;

  @Field({ description: 'GROUP_MEMBERSHIP, ACT_TEAM, CONSENT, EMERGENCY, LIMITED_VIEW or AUDIT' })
  ground: string;

  @Field(() => String, { nullable: true })
  clientAddress: string | null;

  @Field({ description: 'Chained into the tamper-evident hash chain yet (sealing runs every second)' })
  sealed: boolean;
}

@ArgsType()
export class AccessLogArgs {
  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @NotBefore('from')
  to?: Date | null;

  @Field(() => Int, { defaultValue: 100, description: 'At most 500' })
  @IsInt()
  @Min(1)
  @Max(500)
  first: number = 100;

  @Field(() => ID, { nullable: true, description: 'The id of the last entry of the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{1,18}$/, { message: 'beforeId must be an access-log entry id' })
  beforeId?: string | null;
}

@ArgsType()
export class PersonAccessLogArgs extends AccessLogArgs {
  @Field(() => ID)
  @IsUUID()
  personId: string;
}

@ArgsType()
export class IdentityNumberAccessLogArgs {
  @Field({
    description:
      'A personnummer, samordningsnummer or reserve number, in any accepted form; also a number the person held before',
  })
  @IsString()
  @Length(1, 20)
  identityNumber: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @NotBefore('from')
  to?: Date | null;
}

/** A page of an extract's entries. */
@ArgsType()
export class ExtractPageArgs {
  @Field(() => Int, { defaultValue: 100, description: 'At most 500' })
  @IsInt()
  @Min(1)
  @Max(500)
  first: number = 100;

  @Field(() => ID, { nullable: true, description: 'The id of the last entry of the previous page' })
  @IsOptional()
  @Matches(/^[0-9]{1,18}$/, { message: 'beforeId must be an access-log entry id' })
  beforeId?: string | null;
}

@ObjectType('AccessLogExtract', {
  description:
    'The log extract for whoever holds an identity number: no person data, only whether the number is in the register and the entries',
})
export class AccessLogExtractType {
  @Field({ description: 'Whether anyone in the register holds (or held) the number; false: no one, and so no entries' })
  registered: boolean;

  /** Whom the number identifies, and the period asked for (for the entries field; not in the schema). */
  personIds: string[];
  from: Date | null;
  to: Date | null;
}

@ArgsType()
export class StaffAccessLogArgs extends AccessLogArgs {
  @Field(() => ID)
  @IsUUID()
  staffId: string;
}

@ArgsType()
export class EmergencyAccessArgs extends PageArgs {
  @Field({ defaultValue: false, description: 'Only those not reviewed yet' })
  @IsBoolean()
  unreviewedOnly: boolean = false;
}

@ArgsType()
export class AccessLogSampleArgs {
  @Field(() => Int, { defaultValue: 50, description: '1 to 500 entries' })
  @IsInt()
  @Min(1)
  @Max(500)
  size: number = 50;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @NotBefore('from')
  to?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Draws the same sample again for the same seed and period (1 to 64 letters, digits or dashes); without it, a new random sample',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'seed must be 1 to 64 letters, digits or dashes' })
  seed?: string | null;
}

@ObjectType('AccessLogChainProblemParams', {
  description: 'What a chain problem names: a checkpoint by its time or by its line in the checkpoint file',
})
export class ChainProblemParamsType {
  @Field(() => String, { nullable: true, description: 'When the checkpoint was recorded (ISO 8601)' })
  at?: string;

  @Field(() => Int, { nullable: true })
  line?: number;
}

@ObjectType('AccessLogChainProblem')
export class ChainProblemType {
  @Field()
  chainSeq: string;

  @Field(() => String, { nullable: true })
  entryId: string | null;

  @Field(() => ChainProblemCode, { description: 'What is wrong, as a code each client words in its language' })
  code: ChainProblemCode;

  @Field(() => ChainProblemParamsType)
  params: ChainProblemParams;

  @Field({ description: 'The code in English, for developers and the command line' })
  problem: string;
}

@ObjectType('AccessLogVerification', { description: 'The hash chain checked from its anchor to its head' })
export class ChainReportType {
  @Field()
  ok: boolean;

  @Field(() => Int)
  sealed: number;

  @Field(() => Int, { description: 'Entries written but not chained yet (at most a few seconds old when all is well)' })
  unsealed: number;

  @Field(() => String, { nullable: true })
  headSeq: string | null;

  @Field(() => String, { nullable: true, description: 'Record this outside the database to detect a rewritten chain' })
  headHash: string | null;

  @Field(() => [ChainProblemType])
  problems: ChainProblemType[];
}

@ObjectType('EmergencyAccess', {
  description: 'Emergency access (nödåtkomst): opened with a stated reason, logged, notified and reviewed',
})
export class EmergencyAccessType extends ReviewedType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID)
  staffId: string;

  @Field(() => ID)
  organisationId: string;

  @Field()
  reason: string;

  @Field(() => GraphQLISODateTime)
  openedAt: Date;

  @Field(() => GraphQLISODateTime)
  expiresAt: Date;
}

export const EmergencyAccessConnection = Connection(EmergencyAccessType);

@InputType()
export class OpenEmergencyAccessInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field({
    description: `Why the person's data must be opened now (at least ${MIN_EMERGENCY_REASON_LENGTH} characters)`,
  })
  @IsString()
  @Length(MIN_EMERGENCY_REASON_LENGTH, 2000)
  reason: string;
}

@InputType()
export class ReviewAccessLogEntryInput extends ReviewNoteInput {
  @Field(() => ID, { description: 'The entry, e.g. one of a sample' })
  @Matches(/^[0-9]{1,18}$/, { message: 'entryId must be an access-log entry id' })
  entryId: string;
}

@InputType()
export class ReviewEmergencyAccessInput extends ReviewNoteInput {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
