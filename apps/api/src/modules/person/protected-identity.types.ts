import { ArgsType, Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { MIN_PROTECTION_REASON_LENGTH, ProtectedIdentity } from '@samverka/domain';
import { IsBoolean, IsEnum, IsString, IsUUID, Length } from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';
import { ReviewedType, ReviewNoteInput } from '../../graphql/review.types';

@InputType()
export class SetProtectedIdentityInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ProtectedIdentity)
  @IsEnum(ProtectedIdentity)
  level: ProtectedIdentity;

  @Field({
    description: `Why the level changes, e.g. the decision it follows (at least ${MIN_PROTECTION_REASON_LENGTH} characters); reviewed by an auditor`,
  })
  @IsString()
  @Length(MIN_PROTECTION_REASON_LENGTH, 2000)
  reason: string;
}

@ObjectType('ProtectedIdentityChange', {
  description: "A change of a person's protection level: who, from what to what, why and when; reviewed by an auditor",
})
export class ProtectedIdentityChangeType extends ReviewedType {
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
}

export const ProtectedIdentityChangeConnection = Connection(ProtectedIdentityChangeType);

@ArgsType()
export class ProtectedIdentityChangeArgs extends PageArgs {
  @Field({ defaultValue: false, description: 'Only those not reviewed yet' })
  @IsBoolean()
  unreviewedOnly: boolean = false;
}

@InputType()
export class ReviewProtectedIdentityChangeInput extends ReviewNoteInput {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
