import { Field, GraphQLISODateTime, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
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

export enum AuthMode {
  LOCAL = 'LOCAL',
  OIDC = 'OIDC',
}
registerEnumType(AuthMode, {
  name: 'AuthMode',
  description: 'How staff sign in: username and password (LOCAL) or through their organisation (OIDC)',
});

@ObjectType('SignInPayload')
export class SignInPayloadType {
  @Field(() => GraphQLISODateTime, {
    description: 'When the session ends at the latest (it ends sooner after SESSION_IDLE_MINUTES without a request)',
  })
  expiresAt: Date;

  @Field(() => StaffMemberType)
  staff: StaffMemberType;
}
