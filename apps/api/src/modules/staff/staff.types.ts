import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IntegrationScope, Principal, Profession } from '@samverka/domain';
import {
  ArrayNotEmpty,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';

@ObjectType('StaffMember')
export class StaffMemberType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => ID, { nullable: true })
  unitId: string | null;

  @Field()
  givenName: string;

  @Field()
  familyName: string;

  @Field(() => Profession)
  profession: Profession;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field()
  active: boolean;

  @Field({ description: 'Maintains the directory; sees no person because of it' })
  administrator: boolean;

  @Field({ description: 'Reviews the access log; sees no care data' })
  auditor: boolean;

  @Field({ description: 'May see the address and whereabouts of persons with a protected identity' })
  whereaboutsAuthorised: boolean;

  @Field({ description: 'Manages the staff and units of their own organisation' })
  organisationAdministrator: boolean;

  @Field({ description: 'An integration client (API key), not a person' })
  serviceAccount: boolean;
}

export const StaffMemberConnection = Connection(StaffMemberType);

@InputType()
export class CreateStaffMemberInput {
  @Field(() => ID)
  @IsUUID()
  organisationId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  unitId?: string | null;

  @Field()
  @IsString()
  @Length(1, 100)
  givenName: string;

  @Field()
  @IsString()
  @Length(1, 100)
  familyName: string;

  @Field(() => Profession)
  @IsEnum(Profession)
  profession: Profession;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @Field({ defaultValue: false })
  @IsBoolean()
  administrator: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Subject claim of the staff member in the external identity provider',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalSubject?: string | null;
}

@InputType()
export class SetStaffRolesInput {
  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field(() => Boolean, { nullable: true, description: 'Reviews the access log; sees no care data' })
  @IsOptional()
  @IsBoolean()
  auditor?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'May see the address and whereabouts of persons with a protected identity',
  })
  @IsOptional()
  @IsBoolean()
  whereaboutsAuthorised?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Manages the staff and units of their own organisation' })
  @IsOptional()
  @IsBoolean()
  organisationAdministrator?: boolean | null;
}

@InputType()
export class CreateIntegrationClientInput {
  @Field(() => ID)
  @IsUUID()
  organisationId: string;

  @Field({ description: 'What the client is, e.g. the HR system' })
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => [IntegrationScope])
  @ArrayNotEmpty()
  @IsEnum(IntegrationScope, { each: true })
  scopes: IntegrationScope[];
}

@ObjectType('IntegrationClient')
export class IntegrationClientPayload {
  @Field({ description: 'The API key, sent as "Authorization: Bearer <key>"; shown only once, only its hash is kept' })
  apiKey: string;

  @Field(() => StaffMemberType, { description: 'The service account the key signs in as' })
  staff: StaffMemberType;

  @Field({ description: "The client's OAuth client_id (give it a secret or a public key to use the token endpoint)" })
  clientId: string;
}

@InputType()
export class SetStaffActiveInput {
  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field()
  @IsBoolean()
  active: boolean;
}

@ArgsType()
export class StaffListArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @Field(() => Profession, { nullable: true })
  @IsOptional()
  @IsEnum(Profession)
  profession?: Profession;
}

@ObjectType('DirectoryEntry', {
  description:
    'A colleague as the staff directory shows them to other staff: name, profession, organisation, unit and work phone',
})
export class DirectoryEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  @Field(() => ID, { nullable: true })
  unitId: string | null;

  @Field()
  givenName: string;

  @Field()
  familyName: string;

  @Field(() => Profession)
  profession: Profession;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true, description: 'Work phone' })
  phone: string | null;
}

@ArgsType()
export class StaffDirectoryArgs {
  @Field({ description: 'Words of the name (each must occur), at least 2 characters in all' })
  @IsString()
  @Length(2, 100)
  search: string;

  @Field(() => Principal, { nullable: true })
  @IsOptional()
  @IsEnum(Principal)
  principal?: Principal | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string | null;

  @Field(() => Int, { defaultValue: 20, description: 'At most 50' })
  @IsInt()
  @Min(1)
  @Max(50)
  first: number;
}
