import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { HousingKind, WHEREABOUTS } from '@samverka/domain';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SharedAs } from '../../graphql/withheld';

@ObjectType('HousingPlacement', { description: 'Where the person lived, from when to when' })
export class HousingPlacementType {
  @Field(() => ID)
  id: string;

  @Field(() => HousingKind)
  kind: HousingKind;

  @SharedAs(WHEREABOUTS)
  @Field(() => ID, {
    nullable: true,
    description: 'Null when the person has a protected identity (the provider locates the person)',
  })
  providerOrganisationId: string | null;

  @SharedAs(WHEREABOUTS)
  @Field(() => String, { nullable: true, description: 'Null when the person has a protected identity' })
  address: string | null;

  @Field({ description: 'ISO date' })
  startedOn: string;

  @Field(() => String, { nullable: true, description: 'ISO date; null while the person lives there' })
  endedOn: string | null;

  @SharedAs(WHEREABOUTS)
  @Field(() => String, { nullable: true, description: 'Null when the person has a protected identity' })
  note: string | null;
}

@InputType()
export class RecordMoveInput {
  @Field(() => ID)
  @IsUUID()
  personId: string;

  @Field(() => HousingKind)
  @IsEnum(HousingKind)
  kind: HousingKind;

  @Field({ description: 'ISO date' })
  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'startedOn must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  startedOn: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  providerOrganisationId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string | null;
}
