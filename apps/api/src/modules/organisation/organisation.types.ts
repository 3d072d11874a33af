import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { OrganisationKind, Principal } from '@samverka/domain';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';

@ObjectType('Unit')
export class UnitType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  @Field()
  name: string;
}

@ObjectType('Organisation')
export class OrganisationType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Principal)
  principal: Principal;

  @Field(() => OrganisationKind)
  kind: OrganisationKind;
}

export const OrganisationConnection = Connection(OrganisationType);

@InputType()
export class CreateOrganisationInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => Principal)
  @IsEnum(Principal)
  principal: Principal;

  @Field(() => OrganisationKind)
  @IsEnum(OrganisationKind)
  kind: OrganisationKind;
}

@InputType()
export class CreateUnitInput {
  @Field(() => ID)
  @IsUUID()
  organisationId: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;
}

@ArgsType()
export class OrganisationListArgs extends PageArgs {
  @Field(() => Principal, { nullable: true })
  @IsOptional()
  @IsEnum(Principal)
  principal?: Principal;
}
