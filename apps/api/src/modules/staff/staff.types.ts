import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Profession } from '@samverka/domain';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
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

  @Field(() => String, { nullable: true, description: 'Subject claim of the staff member in the external identity provider' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalSubject?: string | null;
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
