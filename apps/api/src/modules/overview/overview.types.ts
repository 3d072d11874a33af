import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  CaseloadReason,
  CaseloadSort,
  ConsentStanding,
  MAX_PAGE_SIZE,
  Principal,
  SharingCategory,
  SipPlanStatus,
} from '@samverka/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Connection } from '../../graphql/connection';
import { SharedAs } from '../../graphql/withheld';
import { GroupMemberType } from '../collaboration/collaboration.types';
import { PersonType } from '../person/person.types';
import { PlanInterventionType } from '../sip-plan/sip-plan.types';

@ObjectType('PatientOverview', {
  description:
    'Everything a worker reads before meeting the person, in one round trip: person, plan, group, timeline, housing, and where things stand',
})
export class PatientOverviewType {
  @Field(() => ID)
  personId: string;

  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType('Responsibility', {
  description: 'An organisation responsible for part of the plan, and its members of the collaboration group to call',
})
export class ResponsibilityType {
  /** The person the plan is about (for the withheld-field rule). */
  personId: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => Principal)
  principal: Principal;

  @Field({ description: 'The organisation has the overall responsibility for the plan' })
  overallResponsibility: boolean;

  @Field(() => [PlanInterventionType], { description: "The plan's interventions it is responsible for" })
  interventions: PlanInterventionType[];

  @Field(() => [GroupMemberType], {
    description: "Its staff in the person's collaboration group today (with their phone numbers)",
  })
  contacts: GroupMemberType[];
}

@ObjectType('ConsentSummary', {
  description: "How the person's consent to sharing stands today, and what it withholds from your organisation",
})
export class ConsentSummaryType {
  @Field(() => ConsentStanding)
  state: ConsentStanding;

  @Field(() => String, {
    nullable: true,
    description: 'The last day a consent in force (or the latest one) covers (YYYY-MM-DD); null: until withdrawn',
  })
  validUntil: string | null;

  @Field(() => [SharingCategory], {
    description: 'What a limitation ("do not share X with Y") withholds from your organisation',
  })
  withheldFromYou: SharingCategory[];
}

@ObjectType('CaseloadEntry')
export class CaseloadEntryType {
  @Field(() => ID)
  personId: string;

  @Field(() => [CaseloadReason], { description: 'Why the person is on your caseload' })
  reasons: CaseloadReason[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => ID, { nullable: true })
  planId: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => SipPlanStatus, { nullable: true, description: 'Status of the current plan; null when there is none' })
  planStatus: SipPlanStatus | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true, description: 'ISO date of the next follow-up of the current plan' })
  nextFollowUpOn: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field({ description: 'The follow-up date has passed' })
  followUpOverdue: boolean;

  @SharedAs(SharingCategory.TIMELINE)
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The latest contact on the timeline' })
  lastContactAt: Date | null;

  @SharedAs(SharingCategory.TIMELINE)
  @Field(() => Int, {
    nullable: true,
    description: 'Whole days (Swedish calendar days) since the latest contact; null when there is none',
  })
  daysSinceLastContact: number | null;

  @Field(() => Int, { description: "Open proposals of the person's group that wait for your vote" })
  votesMissing: number;
}

export const CaseloadConnection = Connection(CaseloadEntryType, 'Caseload');

@InputType('CaseloadFilter', { description: 'Which persons of your caseload to list; every condition given must hold' })
export class CaseloadFilterInput {
  @Field(() => Boolean, { nullable: true, description: "Only persons whose plan's follow-up date has passed" })
  @IsOptional()
  @IsBoolean()
  followUpOverdue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Only persons with an open proposal that waits for your vote' })
  @IsOptional()
  @IsBoolean()
  awaitingMyVote?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Only persons without a contact for at least this many days (or never contacted)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  noContactForDays?: number | null;
}

@ArgsType()
export class CaseloadArgs {
  @Field(() => Int, { defaultValue: 20, description: `At most ${MAX_PAGE_SIZE}` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, {
    nullable: true,
    description: 'The endCursor of the previous page (of the same sort and filter)',
  })
  @IsOptional()
  @IsString()
  after?: string | null;

  @Field(() => CaseloadSort, { defaultValue: CaseloadSort.FOLLOW_UP })
  @IsOptional()
  @IsEnum(CaseloadSort)
  sort?: CaseloadSort = CaseloadSort.FOLLOW_UP;

  @Field(() => CaseloadFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CaseloadFilterInput)
  filter?: CaseloadFilterInput | null;
}
