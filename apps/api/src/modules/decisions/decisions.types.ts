import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  DecisionEventKind,
  DischargeRefusal,
  DischargeRequestStatus,
  EndingReason,
  EpisodeKind,
  EpisodeStatus,
  Principal,
  Profession,
  ProposalCloseReason,
  ProposalStatus,
  ProposalType,
  SharingCategory,
  VoteChoice,
} from '@samverka/domain';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { SharedAs } from '../../graphql/withheld';
import { ReviewedType, ReviewNoteInput } from '../../graphql/review.types';

@ObjectType('CareEpisode', {
  description: "One principal's involvement with the person (ACTIVE → DISCHARGED or ENDED)",
})
export class CareEpisodeType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => Principal)
  principal: Principal;

  @Field(() => EpisodeKind)
  kind: EpisodeKind;

  @Field(() => EpisodeStatus)
  status: EpisodeStatus;

  @Field()
  startedOn: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  endedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The approved decision the discharge consumed' })
  dischargeDecisionId: string | null;

  @Field(() => EndingReason, {
    nullable: true,
    description: 'Why the episode ended without a decision (never a discharge)',
  })
  endingReason: EndingReason | null;

  @Field(() => String, { nullable: true })
  endingEvidence: string | null;

  @Field(() => ID, { nullable: true })
  endedBy: string | null;
}

@ObjectType('Elector', {
  description: 'A member of the electorate, fixed when the proposal opened, with their current vote',
})
export class ElectorType {
  @Field(() => ID)
  staffId: string;

  @Field(() => Principal)
  principal: Principal;

  @Field(() => ID)
  organisationId: string;

  @Field(() => Profession)
  profession: Profession;

  @Field(() => VoteChoice, { nullable: true, description: 'Null until the member has voted' })
  choice: VoteChoice | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  votedAt: Date | null;
}

@ObjectType('VoteRecord', { description: 'One vote or vote change, as cast' })
export class VoteRecordType {
  @Field(() => ID)
  staffId: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => Profession)
  profession: Profession;

  @Field(() => VoteChoice)
  choice: VoteChoice;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field(() => GraphQLISODateTime)
  castAt: Date;
}

@ObjectType('Proposal', { description: 'A joint care decision of the collaboration group' })
export class ProposalObjectType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ProposalType)
  type: ProposalType;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field({ description: 'Empty when a consent withholds the plan from your organisation' })
  title: string;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field({ description: 'Empty when a consent withholds the plan from your organisation' })
  rationale: string;

  @Field(() => ID)
  proposedBy: string;

  @Field(() => GraphQLISODateTime)
  openedAt: Date;

  @Field(() => GraphQLISODateTime)
  deadline: Date;

  @Field(() => ID, { nullable: true })
  episodeId: string | null;

  @Field(() => ProposalStatus)
  status: ProposalStatus;

  @Field(() => GraphQLISODateTime, { nullable: true })
  closedAt: Date | null;

  @Field(() => ProposalCloseReason, { nullable: true, description: 'Why it closed (each client words the code)' })
  closeReason: ProposalCloseReason | null;

  @Field(() => EndingReason, { nullable: true, description: 'For EPISODE_ENDED: why the care episode ended' })
  closeEndingReason: EndingReason | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, {
    nullable: true,
    description:
      "For WITHDRAWN: the withdrawer's own words; empty when a consent withholds the plan from your organisation",
  })
  withdrawalReason: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'An approved DISCHARGE can be used until then, once',
  })
  approvalValidUntil: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  usedAt: Date | null;
}

@ObjectType('DischargeRequest')
export class DischargeRequestType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => ID)
  requestedBy: string;

  @Field(() => GraphQLISODateTime)
  requestedAt: Date;

  @Field(() => DischargeRequestStatus)
  status: DischargeRequestStatus;

  @Field(() => GraphQLISODateTime, { nullable: true })
  decidedAt: Date | null;

  @Field(() => ID, { nullable: true })
  decisionId: string | null;

  @Field(() => DischargeRefusal, {
    nullable: true,
    description: 'Why the request was rejected (each client words the code)',
  })
  reason: DischargeRefusal | null;

  @Field(() => EpisodeStatus, { nullable: true, description: 'For EPISODE_NOT_ACTIVE: the status the episode had' })
  reasonEpisodeStatus: EpisodeStatus | null;

  @Field(() => ProposalStatus, {
    nullable: true,
    description: 'For PROPOSAL_NOT_APPROVED: how the latest discharge proposal closed',
  })
  reasonProposalStatus: ProposalStatus | null;
}

@ObjectType('DecisionEvent', {
  description: 'Something happened to a proposal, vote, discharge or episode of a person you may see',
})
export class DecisionEventType {
  @Field(() => DecisionEventKind)
  kind: DecisionEventKind;

  @Field(() => ID)
  personId: string;

  @Field(() => ID, { nullable: true })
  proposalId: string | null;

  @Field(() => ID, { nullable: true })
  episodeId: string | null;

  @Field(() => ID, { nullable: true })
  requestId: string | null;

  @Field(() => String, { nullable: true })
  status: string | null;

  @Field(() => GraphQLISODateTime)
  occurredAt: Date;
}

@InputType()
export class OpenCareEpisodeInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => EpisodeKind)
  @IsEnum(EpisodeKind)
  kind: EpisodeKind;

  @Field({ nullable: true, description: 'ISO date; default today' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'startedOn must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  startedOn?: string;
}

@InputType()
export class OpenProposalInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ProposalType)
  @IsEnum(ProposalType)
  type: ProposalType;

  @Field()
  @IsString()
  @Length(1, 200)
  title: string;

  @Field()
  @IsString()
  @Length(1, 8000)
  rationale: string;

  @Field(() => GraphQLISODateTime)
  @Type(() => Date)
  @IsDate()
  deadline: Date;

  @Field(() => ID, { nullable: true, description: 'Required for DISCHARGE: the care episode it would end' })
  @ValidateIf((o: OpenProposalInput) => o.type === ProposalType.DISCHARGE || o.episodeId != null)
  @IsUUID()
  episodeId?: string | null;
}

@InputType()
export class CastVoteInput {
  @Field(() => ID)
  @IsUUID()
  proposalId: string;

  @Field(() => VoteChoice)
  @IsEnum(VoteChoice)
  choice: VoteChoice;

  // Its shape is checked here when given; that a disagreement needs one is the domain's rule (COMMENT_REQUIRED_TO_DISAGREE).
  @Field(() => String, { nullable: true, description: 'Required when you disagree' })
  @ValidateIf((o: CastVoteInput) => o.comment != null)
  @IsString()
  @Length(1, 4000)
  comment?: string | null;
}

@InputType()
export class WithdrawProposalInput {
  @Field(() => ID)
  @IsUUID()
  proposalId: string;

  @Field(() => String, { description: 'Why the proposal is withdrawn; kept as its close reason' })
  @IsString()
  @Length(1, 2000, { message: 'reason is required (1-2000 characters)' })
  reason: string;
}

@InputType()
export class RecordEpisodeEndingInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => EndingReason)
  @IsEnum(EndingReason)
  reason: EndingReason;

  @Field({ description: 'On what evidence, e.g. "Death notice from Skatteverket 2026-11-20"' })
  @IsString()
  @Length(1, 2000)
  evidence: string;
}

@ObjectType('EpisodeEnding', {
  description: "An episode ended without the group's decision (death, moving away, consent withdrawn), for review",
})
export class EpisodeEndingType extends ReviewedType {
  @Field(() => ID)
  episodeId: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID, { description: 'The organisation whose episode ended (only it may record its ending)' })
  organisationId: string;

  @Field(() => EpisodeKind)
  kind: EpisodeKind;

  @Field(() => EndingReason)
  reason: EndingReason;

  @Field({ description: 'The evidence stated when the ending was recorded' })
  evidence: string;

  @Field(() => GraphQLISODateTime)
  endedAt: Date;

  @Field(() => ID, { description: 'Who recorded the ending' })
  endedBy: string;
}

@ArgsType()
export class EpisodeEndingsArgs {
  @Field(() => Int, { defaultValue: 50, description: '1 to 200, newest first' })
  @IsInt()
  @Min(1)
  @Max(200)
  first: number = 50;

  @Field({ defaultValue: true, description: 'Only those not reviewed yet' })
  @IsBoolean()
  unreviewedOnly: boolean = true;
}

@InputType()
export class ReviewEpisodeEndingInput extends ReviewNoteInput {
  @Field(() => ID)
  @IsUUID()
  episodeId: string;
}
