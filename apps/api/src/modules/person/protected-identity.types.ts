import { ArgsType, Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { MIN_PROTECTION_REASON_LENGTH, ProtectedIdentity } from '@samverka/domain';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';

@InputType()
export class SetProtectedIdentityInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ProtectedIdentity)
  @IsEnum(ProtectedIdentity)
  level: ProtectedIdentity;

  @Field({ description: `Why the level changes, e.g. the decision it follows (at least ${MIN_PROTECTION_REASON_LENGTH} characters); reviewed by an auditor` })
  @IsString()
  @Length(MIN_PROTECTION_REASON_LENGTH, 2000)
  reason: string;
}

@ObjectType('ProtectedIdentityChange', { description: "A change of a person's protection level: who, from what to what, why and when; reviewed by an auditor" })
export class ProtectedIdentityChangeType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ProtectedIdentity)
  fromLevel: ProtectedIdentity;

  @Field(() => ProtectedIdentity)
  toLevel: ProtectedIdentity;

  @Field()
  reason: string;

  @Field(() => ID)
  changedBy: string;

  @Field(() => GraphQLISODateTime)
  changedAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  reviewedAt: Date | null;

  @Field(() => ID, { nullable: true })
  reviewedBy: string | null;

  @Field(() => String, { nullable: true })
  reviewNote: string | null;
}

export const ProtectedIdentityChangeConnection = Connection(ProtectedIdentityChangeType);

@ArgsType()
export class ProtectedIdentityChangeArgs extends PageArgs {
  @Field({ defaultValue: false, description: 'Only those not reviewed yet' })
  @IsBoolean()
  unreviewedOnly: boolean = false;
}

@InputType()
export class ReviewProtectedIdentityChangeInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string | null;
}
