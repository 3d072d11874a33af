import { Field, GraphQLISODateTime, InputType, ObjectType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';
import { StaffMemberType } from '../staff/staff.types';

@InputType()
export class LoginInput {
  @Field()
  @IsString()
  @Length(1, 100)
  username: string;

  @Field()
  @IsString()
  @Length(1, 200)
  password: string;
}

@ObjectType('LoginPayload')
export class LoginPayloadType {
  @Field({ description: 'Send as "Authorization: Bearer <token>"' })
  token: string;

  @Field(() => GraphQLISODateTime)
  expiresAt: Date;

  @Field(() => StaffMemberType)
  staff: StaffMemberType;
}
