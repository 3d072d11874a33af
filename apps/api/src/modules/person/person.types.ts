import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ChildrenStatus,
  ContactChannel,
  IdentityKind,
  LegalGender,
  PersonLanguage,
  ProtectedIdentity,
} from '@samverka/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

@ObjectType('Child')
export class ChildType {
  @Field(() => Int)
  birthYear: number;

  @Field(() => Int, { description: 'Age this year' })
  age: number;

  @Field()
  livesWithPerson: boolean;
}

@ObjectType('IdentityRecord', {
  description: 'An identity the person had before (numbers change: a samordningsnummer becomes a personnummer)',
})
export class IdentityRecordType {
  @Field(() => IdentityKind)
  identityKind: IdentityKind;

  @Field(() => String, { nullable: true })
  identityNumber: string | null;

  @Field(() => GraphQLISODateTime)
  replacedAt: Date;
}

@ObjectType('Relative')
export class RelativeType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  relation: string;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field({ description: 'The person agrees that this relative takes part in SIP meetings' })
  mayParticipate: boolean;

  @Field(() => String, { nullable: true, description: "The relative's own need for support" })
  supportNeeds: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The day the relative stopped being involved (YYYY-MM-DD); null while involved',
  })
  endedOn: string | null;
}

@ObjectType('Person', {
  description: 'The person the plan is for: a patient to the region, a client to social services',
})
export class PersonType {
  @Field(() => ID)
  id: string;

  @Field(() => IdentityKind)
  identityKind: IdentityKind;

  @Field(() => String, {
    nullable: true,
    description: 'YYYYMMDD-NNNN for personnummer and samordningsnummer; 12 digits for reserve numbers',
  })
  identityNumber: string | null;

  @Field({ description: 'Reference usable before (and after) an identity number is known' })
  temporaryReference: string;

  @Field()
  givenName: string;

  @Field()
  familyName: string;

  @Field(() => Int, { nullable: true })
  birthYear: number | null;

  @Field(() => LegalGender)
  legalGender: LegalGender;

  @Field(() => ProtectedIdentity, { description: 'Any level other than NONE hides address and whereabouts' })
  protectedIdentity: ProtectedIdentity;

  @Field(() => ChildrenStatus)
  childrenStatus: ChildrenStatus;

  @Field(() => ContactChannel)
  preferredContactChannel: ContactChannel;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field(() => PersonLanguage, { description: 'The language of messages to the person (SMS, appointment notes)' })
  preferredLanguage: PersonLanguage;
}

@InputType()
export class RegisterPersonInput {
  @Field(() => IdentityKind)
  @IsEnum(IdentityKind)
  identityKind: IdentityKind;

  @Field(() => String, { nullable: true, description: 'Required unless identityKind is UNIDENTIFIED' })
  @IsOptional()
  @IsString()
  @Length(10, 15)
  identityNumber?: string | null;

  @Field()
  @IsString()
  @Length(1, 100)
  givenName: string;

  @Field()
  @IsString()
  @Length(1, 100)
  familyName: string;

  @Field(() => Int, { nullable: true, description: 'For persons without a personnummer or samordningsnummer' })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;

  @Field(() => LegalGender, { nullable: true, description: 'Derived from the personnummer when there is one' })
  @IsOptional()
  @IsEnum(LegalGender)
  legalGender?: LegalGender | null;

  @Field(() => ProtectedIdentity, { nullable: true })
  @IsOptional()
  @IsEnum(ProtectedIdentity)
  protectedIdentity?: ProtectedIdentity;

  @Field(() => ContactChannel, { nullable: true })
  @IsOptional()
  @IsEnum(ContactChannel)
  preferredContactChannel?: ContactChannel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @Field(() => PersonLanguage, {
    nullable: true,
    description: 'The language of messages to the person (SMS, appointment notes); Swedish when not given',
  })
  // Given, it must be a language (null is refused, as in updatePerson: every person has one).
  @ValidateIf((input: RegisterPersonInput) => input.preferredLanguage !== undefined)
  @IsEnum(PersonLanguage)
  preferredLanguage?: PersonLanguage;

  @Field({
    description:
      "Your role in the person's new collaboration group, e.g. 'case manager' (for an integration client: the coordinator's role)",
  })
  @IsString()
  @Length(1, 100)
  roleInGroup: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'An integration client only (required then): the staff member of its organisation who coordinates the new group. Staff register with themselves as coordinator',
  })
  @IsOptional()
  @IsUUID()
  coordinatorStaffId?: string | null;
}

@InputType()
export class ChildInput {
  @Field(() => Int)
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear: number;

  @Field()
  @IsBoolean()
  livesWithPerson: boolean;
}

/** The protection level is not here: it changes only by setProtectedIdentity, with a reason. */
@InputType()
export class UpdatePersonInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  givenName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  familyName?: string;

  @Field(() => IdentityKind, { nullable: true })
  @IsOptional()
  @IsEnum(IdentityKind)
  identityKind?: IdentityKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(10, 15)
  identityNumber?: string | null;

  @Field(() => ChildrenStatus, { nullable: true, description: 'Every adult must be asked whether they have children' })
  @IsOptional()
  @IsEnum(ChildrenStatus)
  childrenStatus?: ChildrenStatus;

  @Field(() => [ChildInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(20)
  @Type(() => ChildInput)
  children?: ChildInput[];

  @Field(() => ContactChannel, { nullable: true })
  @IsOptional()
  @IsEnum(ContactChannel)
  preferredContactChannel?: ContactChannel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @Field(() => LegalGender, {
    nullable: true,
    description: 'For persons without a personnummer or samordningsnummer: a number decides its own',
  })
  @IsOptional()
  @IsEnum(LegalGender)
  legalGender?: LegalGender;

  @Field(() => String, {
    nullable: true,
    description: "How the person's situation affects their children (barnkonsekvens); empty clears it",
  })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  childImpactNote?: string | null;

  @Field(() => PersonLanguage, {
    nullable: true,
    description: 'The language of messages to the person (SMS, appointment notes)',
  })
  // Given, it must be a language (null is refused: every person has one, Swedish by default).
  @ValidateIf((input: UpdatePersonInput) => input.preferredLanguage !== undefined)
  @IsEnum(PersonLanguage)
  preferredLanguage?: PersonLanguage;
}

/** Exactly one key (the domain refuses none or two, naming the field); a name is matched exactly, never as a prefix. */
@InputType({
  description:
    'Find a person by one key: an identity number, a temporary reference, or given name, family name and birth year',
})
export class FindPersonInput {
  @Field(() => String, { nullable: true, description: 'A personnummer, samordningsnummer or reserve number' })
  @IsOptional()
  @IsString()
  @Length(10, 15)
  identityNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  temporaryReference?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  familyName?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number | null;
}

@ObjectType('FoundPerson', { description: 'A person you may already see: open them with person(id)' })
export class FoundPersonType {
  @Field(() => ID)
  id: string;

  @Field()
  givenName: string;

  @Field()
  familyName: string;

  @Field(() => Int, { nullable: true })
  birthYear: number | null;
}

@ObjectType('PersonSearchResult')
export class PersonSearchResultType {
  @Field(() => [FoundPersonType], { description: 'Only persons you already have access to' })
  persons: FoundPersonType[];

  @Field({
    description:
      'The identity number belongs to a person you may not see: ask their coordinator for access (they are told)',
  })
  registeredElsewhere: boolean;
}

@InputType()
export class AddRelativeInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field()
  @IsString()
  @Length(1, 100)
  relation: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @Field({ defaultValue: false })
  @IsBoolean()
  mayParticipate: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  supportNeeds?: string | null;
}

/** Only what is given changes; an ended relative is not changed. */
@InputType()
export class UpdateRelativeInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  relation?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,20}$/, { message: 'phone must be a phone number' })
  phone?: string | null;

  @Field({ nullable: true, description: 'The person agrees that this relative takes part in SIP meetings' })
  @IsOptional()
  @IsBoolean()
  mayParticipate?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  supportNeeds?: string | null;
}
