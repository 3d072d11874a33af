import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { AccessGround, ConsentGivenHow, ConsentPurpose, ConsentScope, SharingCategory } from '@samverka/domain';
import { Type } from 'class-transformer';
import { ContactEntryType } from '../timeline/timeline.types';
import { ArrayMaxSize, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

@ObjectType('SharingLimitation', { description: '"Do not share this category with this organisation"' })
export class SharingLimitationType {
  @Field(() => ID)
  organisationId: string;

  @Field(() => SharingCategory)
  category: SharingCategory;
}

@ObjectType('Consent', {
  description: "The person's consent to the SIP or to sharing between organisations (samtycke)",
})
export class ConsentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => ConsentScope)
  scope: ConsentScope;

  @Field(() => [ID], { description: 'With NAMED_ORGANISATIONS: the organisations the person agreed to share with' })
  organisationIds: string[];

  @Field(() => [SharingLimitationType])
  limitations: SharingLimitationType[];

  @Field(() => ConsentGivenHow)
  givenHow: ConsentGivenHow;

  @Field(() => String, { nullable: true })
  witnessName: string | null;

  @Field({ description: 'First day in force (ISO date)' })
  validFrom: string;

  @Field(() => String, { nullable: true, description: 'Last day in force (ISO date); none means until withdrawn' })
  validTo: string | null;

  @Field(() => ID)
  recordedBy: string;

  @Field(() => GraphQLISODateTime)
  recordedAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  withdrawnAt: Date | null;

  @Field(() => ID, { nullable: true })
  withdrawnBy: string | null;

  @Field(() => String, { nullable: true })
  withdrawalNote: string | null;

  @Field({ description: 'In force today (not withdrawn, within its dates)' })
  active: boolean;
}

@InputType()
export class SharingLimitationInput {
  @Field(() => ID)
  @IsUUID()
  organisationId: string;

  @Field(() => SharingCategory)
  @IsEnum(SharingCategory)
  category: SharingCategory;
}

@InputType()
export class RecordConsentInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => ConsentPurpose)
  @IsEnum(ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => ConsentScope)
  @IsEnum(ConsentScope)
  scope: ConsentScope;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  organisationIds?: string[] | null;

  @Field(() => [SharingLimitationInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SharingLimitationInput)
  limitations?: SharingLimitationInput[] | null;

  @Field(() => ConsentGivenHow)
  @IsEnum(ConsentGivenHow)
  givenHow: ConsentGivenHow;

  @Field(() => String, { nullable: true, description: 'Required for a verbal consent' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  witnessName?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date; today when left out' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10)
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date; none means until withdrawn' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10)
  validTo?: string | null;
}

@InputType()
export class WithdrawConsentInput {
  @Field(() => ID)
  @IsUUID()
  consentId: string;

  @Field(() => String, { nullable: true, description: 'How the person withdrew it (no other personal data)' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string | null;
}

@ObjectType('PersonContact', { description: 'Whom to contact about the person' })
export class PersonContactType {
  @Field()
  role: string;

  /** Resolved to `staff` by PersonContactResolver. */
  staffId: string;
}

@ObjectType('PersonAccess', {
  description:
    'What you may see of a person: FULL, or LIMITED (no consent covers your organisation: only that a plan exists and whom to contact)',
})
export class PersonAccessType {
  @Field(() => ID)
  personId: string;

  @Field()
  level: 'FULL' | 'LIMITED';

  @Field(() => AccessGround)
  ground: AccessGround;

  @Field({ description: 'Whether the person has a SIP plan (in force, draft or under revision)' })
  planExists: boolean;

  @Field(() => [PersonContactType], { description: "The coordinator and the group's voting representatives" })
  contacts: PersonContactType[];

  @Field(() => [ContactEntryType], {
    description:
      "Contacts recorded by staff of your own organisation: your organisation's own records, shown with or without consent (at most 10, newest first)",
  })
  ownOrganisationContacts: ContactEntryType[];
}
