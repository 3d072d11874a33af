import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

@ObjectType('ActTeamMember')
export class ActTeamMemberType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  teamId: string;

  @Field(() => ID)
  staffId: string;

  @Field()
  role: string;

  @Field(() => Float, { description: 'Share of a full-time post in the team' })
  fte: number;

  @Field()
  validFrom: string;

  @Field(() => String, { nullable: true })
  validTo: string | null;
}

@ObjectType('OnCallShift')
export class OnCallShiftType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  staffId: string;

  @Field(() => GraphQLISODateTime)
  startsAt: Date;

  @Field(() => GraphQLISODateTime)
  endsAt: Date;
}

@ObjectType('ActTeamCaseloadFigures', { description: 'DACTS H1: at most 10 persons per full-time staff member' })
export class ActTeamCaseloadFiguresType {
  @Field(() => Int)
  persons: number;

  @Field(() => Float)
  staffFte: number;

  @Field(() => Float, { nullable: true })
  personsPerFte: number | null;

  @Field()
  withinFidelityTarget: boolean;

  @Field(() => Int, { description: 'The guideline: at most this many persons per full-time post' })
  maxPersonsPerFte: number;
}

@ObjectType('ActTeamMemberCaseloadFigures', {
  description:
    "A roster member's own caseload as case manager against their share of the 1:10 guideline; the same for every reader",
})
export class ActTeamMemberCaseloadFiguresType {
  @Field(() => Int, {
    description: 'Persons on the caseload with the member as case manager (all of them, not only those you may see)',
  })
  persons: number;

  @Field(() => Float, { description: "The most persons the member's share of a full-time post allows" })
  maxPersons: number;

  @Field()
  withinFidelityTarget: boolean;
}

@ObjectType('ActTeamClient', { description: 'A person on the team caseload that you may see' })
export class ActTeamClientType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID, { nullable: true })
  caseManagerStaffId: string | null;

  @Field()
  validFrom: string;

  @Field(() => String, { nullable: true, description: 'The last day of the place, once it has ended' })
  validTo: string | null;
}

@ObjectType('ActTeam', { description: 'An Assertive Community Treatment team shared by city and region' })
export class ActTeamType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => String, { nullable: true })
  onCallPhone: string | null;

  @Field(() => Int, { description: 'The team is reminded after this many days without contact with a client' })
  noContactAlertDays: number;
}

@InputType()
export class CreateActTeamInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => ID)
  @IsUUID()
  organisationId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'onCallPhone must be a phone number' })
  onCallPhone?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Days without contact before the team is reminded (1-90, default 7)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  noContactAlertDays?: number | null;
}

@InputType()
export class SetNoContactAlertDaysInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(90)
  days: number;
}

@InputType()
export class AddActTeamMemberInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @Field(() => Float, { defaultValue: 1 })
  @IsNumber()
  @Min(0.05)
  @Max(1)
  fte: number;
}

@InputType()
export class AddOnCallShiftInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field(() => GraphQLISODateTime)
  @Type(() => Date)
  @IsDate()
  startsAt: Date;

  @Field(() => GraphQLISODateTime)
  @Type(() => Date)
  @IsDate()
  endsAt: Date;
}

@InputType()
export class ChangeCaseManagerInput {
  @Field(() => ID, { description: 'The place on the caseload' })
  @IsUUID()
  clientId: string;

  @Field(() => ID, { description: 'An active member of the team' })
  @IsUUID()
  caseManagerStaffId: string;
}

@InputType()
export class EndActTeamPlaceInput {
  @Field(() => ID, { description: 'The place on the caseload' })
  @IsUUID()
  clientId: string;
}

@InputType()
export class EnrolInActTeamInput {
  @Field(() => ID)
  @IsUUID()
  teamId: string;

  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  caseManagerStaffId?: string | null;
}
