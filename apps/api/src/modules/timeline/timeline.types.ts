import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ContactKind, WHEREABOUTS } from '@samverka/domain';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Connection } from '../../graphql/connection';
import { SharedAs } from '../../graphql/withheld';

@ObjectType('ContactEntry', { description: 'One contact with the person, on the shared timeline' })
export class ContactEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => ID)
  staffId: string;

  @Field(() => GraphQLISODateTime)
  occurredAt: Date;

  @Field(() => ContactKind)
  kind: ContactKind;

  @SharedAs(WHEREABOUTS)
  @Field(() => String, { nullable: true, description: 'Null when the person has a protected identity' })
  location: string | null;

  @Field()
  summary: string;
}

export const ContactEntryConnection = Connection(ContactEntryType);

@InputType()
export class RecordContactInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => GraphQLISODateTime)
  @Type(() => Date)
  @IsDate()
  occurredAt: Date;

  @Field(() => ContactKind)
  @IsEnum(ContactKind)
  kind: ContactKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string | null;

  @Field()
  @IsString()
  @Length(1, 4000)
  summary: string;
}
