import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  InterventionStatus,
  NeedArea,
  ParticipantKind,
  PlanApprovalMethod,
  Principal,
  SharingCategory,
  SipPlanStatus,
} from '@samverka/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { SharedAs } from '../../graphql/withheld';

const IsDateOnly = (field: string) =>
  Length(10, 10, { message: `${field} must be a date (YYYY-MM-DD)`, context: { constraint: 'date' } });

@ObjectType('PlanNeed')
export class PlanNeedType {
  @Field(() => ID)
  id: string;

  @Field(() => NeedArea)
  area: NeedArea;

  @Field()
  description: string;
}

@ObjectType('PlanIntervention', { description: 'An intervention (insats) and the principal that answers for it' })
export class PlanInterventionType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  needId: string | null;

  @Field()
  description: string;

  @Field(() => Principal)
  responsiblePrincipal: Principal;

  @Field(() => ID)
  responsibleOrganisationId: string;

  @Field(() => ID, { nullable: true })
  responsibleUnitId: string | null;

  @Field(() => InterventionStatus)
  status: InterventionStatus;
}

@ObjectType('PlanOtherMeasure', { description: 'What an NGO, a housing provider or another actor will do' })
export class PlanOtherMeasureType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  organisationId: string | null;

  @Field()
  actorName: string;

  @Field()
  description: string;
}

@ObjectType('PlanParticipant')
export class PlanParticipantType {
  @Field(() => ParticipantKind)
  kind: ParticipantKind;

  @Field(() => ID, { nullable: true })
  staffId: string | null;

  @Field(() => ID, { nullable: true })
  relativeId: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field({ description: 'Summoned (kallad, principals) rather than invited (inbjuden)' })
  summoned: boolean;
}

/**
 * What a revision can change; a version keeps a snapshot of exactly this. All of it but the status is the
 * plan a consent can withhold ("do not share the plan with Y"), wherever a plan reaches the actor.
 */
@ObjectType('SipPlanContent', { description: 'The content of a SIP plan as it stood at one revision' })
export class SipPlanContentType {
  @Field(() => SipPlanStatus)
  status: SipPlanStatus;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => Principal, { nullable: true })
  overallResponsibilityPrincipal: Principal | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => ID, { nullable: true })
  overallResponsibilityOrganisationId: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field({ description: "The person's own goals, in their own words" })
  personGoals: string;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => [PlanNeedType])
  needs: PlanNeedType[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => [PlanInterventionType])
  interventions: PlanInterventionType[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => [PlanOtherMeasureType])
  otherMeasures: PlanOtherMeasureType[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => [PlanParticipantType])
  participants: PlanParticipantType[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true, description: 'ISO date the person consented to the plan' })
  consentGivenAt: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true })
  consentValidUntil: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true, description: 'ISO date of the next follow-up' })
  followUpOn: string | null;
}

@ObjectType('SipPlan', { description: 'Samordnad individuell plan: the coordinated individual plan' })
export class SipPlanType extends SipPlanContentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => Int, { description: 'Send this back as expectedVersion when changing the plan' })
  version: number;

  @Field(() => GraphQLISODateTime)
  updatedAt: Date;
}

@ObjectType('SipFollowUp', {
  description: 'A follow-up (uppföljning) of the plan recorded as held, on the day it was recorded',
})
export class SipFollowUpType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  planId: string;

  @Field({ description: 'ISO date it was held (the day it was recorded: never back-dated)' })
  heldOn: string;

  @Field(() => ID)
  recordedBy: string;

  @Field(() => GraphQLISODateTime)
  recordedAt: Date;

  @Field({ description: 'What the follow-up found' })
  summary: string;

  @Field({ description: 'ISO date of the next follow-up it set' })
  nextFollowUpOn: string;
}

@ObjectType('SipPlanApproval', {
  description:
    "The person's approval of an adopted version of their plan: how, recorded by whom and when (the database's clock)",
})
export class SipPlanApprovalType {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  version: number;

  @Field(() => PlanApprovalMethod)
  method: PlanApprovalMethod;

  @Field(() => String, { nullable: true, description: 'The witness of a verbal approval' })
  witnessName: string | null;

  @Field(() => ID)
  recordedBy: string;

  @Field(() => GraphQLISODateTime)
  recordedAt: Date;
}

@ObjectType('SipPlanVersion', { description: 'An immutable revision: who, when, what changed' })
export class SipPlanVersionType {
  @Field(() => Int)
  version: number;

  @Field({ description: 'The plan was adopted (came into force) at this version: the person approves such a version' })
  adopted: boolean;

  @Field(() => ID)
  changedBy: string;

  @Field(() => GraphQLISODateTime)
  changedAt: Date;

  @Field(() => [String])
  changes: string[];

  @Field(() => SipPlanContentType, { description: 'The plan as it stood after this revision' })
  snapshot: SipPlanContentType;
}

@InputType()
export class PlanNeedInput {
  @Field(() => ID, { nullable: true, description: 'Keep the id of an existing need; omit for a new one' })
  @IsOptional()
  @IsUUID()
  id?: string | null;

  @Field(() => NeedArea)
  @IsEnum(NeedArea)
  area: NeedArea;

  @Field()
  @IsString()
  @Length(1, 2000)
  description: string;
}

@InputType()
export class PlanInterventionInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  id?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  needId?: string | null;

  @Field()
  @IsString()
  @Length(1, 2000)
  description: string;

  @Field(() => Principal)
  @IsEnum(Principal)
  responsiblePrincipal: Principal;

  @Field(() => ID)
  @IsUUID()
  responsibleOrganisationId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  responsibleUnitId?: string | null;

  @Field(() => InterventionStatus, { defaultValue: InterventionStatus.PLANNED })
  @IsEnum(InterventionStatus)
  status: InterventionStatus;
}

@InputType()
export class PlanOtherMeasureInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  id?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string | null;

  @Field()
  @IsString()
  @Length(1, 200)
  actorName: string;

  @Field()
  @IsString()
  @Length(1, 2000)
  description: string;
}

@InputType()
export class PlanParticipantInput {
  @Field(() => ParticipantKind)
  @IsEnum(ParticipantKind)
  kind: ParticipantKind;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  staffId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  relativeId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field({ defaultValue: false })
  @IsBoolean()
  summoned: boolean;
}

/** The editable parts of a plan. A list given replaces the plan's list; an omitted field is left as it is. */
@InputType()
export class PlanContentInput {
  @Field(() => Principal, { nullable: true })
  @IsOptional()
  @IsEnum(Principal)
  overallResponsibilityPrincipal?: Principal | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  overallResponsibilityOrganisationId?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  personGoals?: string;

  @Field(() => [PlanNeedInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanNeedInput)
  needs?: PlanNeedInput[];

  @Field(() => [PlanInterventionInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanInterventionInput)
  interventions?: PlanInterventionInput[];

  @Field(() => [PlanOtherMeasureInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanOtherMeasureInput)
  otherMeasures?: PlanOtherMeasureInput[];

  @Field(() => [PlanParticipantInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanParticipantInput)
  participants?: PlanParticipantInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateOnly('consentGivenAt')
  consentGivenAt?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateOnly('consentValidUntil')
  consentValidUntil?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateOnly('followUpOn')
  followUpOn?: string | null;
}

@InputType()
export class CreateSipPlanInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => PlanContentInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanContentInput)
  content?: PlanContentInput;
}

@InputType()
export class EditSipPlanInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int, { description: 'The version you edited; a stale version is refused with CONFLICT' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => PlanContentInput)
  @ValidateNested()
  @Type(() => PlanContentInput)
  content: PlanContentInput;
}

@InputType()
export class TransitionSipPlanInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => SipPlanStatus)
  @IsEnum(SipPlanStatus)
  status: SipPlanStatus;
}

@InputType()
export class SetInterventionStatusInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => ID)
  @IsUUID()
  interventionId: string;

  @Field(() => InterventionStatus)
  @IsEnum(InterventionStatus)
  status: InterventionStatus;
}

@InputType()
export class SetFollowUpInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field()
  @IsISO8601({ strict: true })
  @IsDateOnly('followUpOn')
  followUpOn: string;
}

@InputType()
export class RecordSipFollowUpInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field({ description: 'What the follow-up found' })
  @IsString()
  @Length(1, 4000)
  summary: string;

  @Field({ description: 'ISO date of the next follow-up; after today' })
  @IsISO8601({ strict: true })
  @IsDateOnly('nextFollowUpOn')
  nextFollowUpOn: string;
}

@InputType()
export class RecordPlanApprovalInput {
  @Field(() => ID)
  @IsUUID()
  planId: string;

  @Field(() => Int, { description: 'The adopted version the person approved' })
  @IsInt()
  @Min(1)
  version: number;

  @Field(() => PlanApprovalMethod)
  @IsEnum(PlanApprovalMethod)
  method: PlanApprovalMethod;

  @Field(() => String, { nullable: true, description: 'Required for VERBAL_WITH_WITNESS' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  witnessName?: string | null;
}
