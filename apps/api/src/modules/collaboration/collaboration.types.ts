import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Principal } from '@samverka/domain';
import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';

@ObjectType('GroupMember', { description: "A staff member's place in a collaboration group for a period" })
export class GroupMemberType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  groupId: string;

  @Field(() => ID)
  staffId: string;

  @Field()
  role: string;

  @Field(() => Principal, { description: 'The principal the member represents' })
  principal: Principal;

  @Field({ description: "Votes on the group's joint decisions" })
  votingRepresentative: boolean;

  @Field({ description: 'ISO date' })
  validFrom: string;

  @Field(() => String, { nullable: true, description: 'ISO date of the last day; null while open-ended' })
  validTo: string | null;
}

@ObjectType('CollaborationGroup', { description: 'The samverkansgrupp around one person' })
export class CollaborationGroupType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID, { nullable: true })
  coordinatorStaffId: string | null;

  @Field(() => Int, { description: 'Increases with every membership change' })
  membershipVersion: number;
}

@InputType()
export class AddGroupMemberInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @Field({ defaultValue: false })
  @IsBoolean()
  votingRepresentative: boolean;

  @Field({ nullable: true, description: 'ISO date; default today' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'validFrom must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  validFrom?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'validTo must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  validTo?: string | null;
}

@InputType()
export class EndGroupMembershipInput {
  @Field(() => ID)
  @IsUUID()
  memberId: string;

  @Field({ nullable: true, description: 'Last day of membership (ISO date); default today' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'validTo must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  validTo?: string;
}

@InputType()
export class SetCoordinatorInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ID)
  @IsUUID()
  staffId: string;
}

@InputType()
export class SetVotingRepresentativeInput {
  @Field(() => ID)
  @IsUUID()
  memberId: string;

  @Field({ description: "Whether the member votes for their principal on the group's joint decisions" })
  @IsBoolean()
  votingRepresentative: boolean;
}
