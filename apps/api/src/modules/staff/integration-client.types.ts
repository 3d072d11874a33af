import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IntegrationScope, OAUTH_SCOPE_OF } from '@samverka/domain';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsDate, IsEnum, IsString, IsUUID, Length } from 'class-validator';

@ObjectType('ClientSecret', {
  description: "One of an integration client's OAuth client secrets (never the secret itself)",
})
export class ClientSecretType {
  @Field(() => ID)
  id: string;

  @Field({ description: "The secret's first characters, to tell it apart" })
  hint: string;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime)
  expiresAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType('ClientPublicKey', {
  description: 'A public key (JWK) the client signs its client assertions with (private_key_jwt)',
})
export class ClientPublicKeyType {
  @Field()
  kid: string;

  @Field()
  kty: string;

  @Field(() => String, { nullable: true })
  alg: string | null;
}

@ObjectType('IntegrationClientCredentials', {
  description: "An integration client's OAuth credentials: client id, scopes, secrets and public keys",
})
export class IntegrationClientCredentialsType {
  @Field(() => ID, { description: 'The service account' })
  staffId: string;

  @Field({ description: 'The OAuth client_id' })
  clientId: string;

  @Field(() => [IntegrationScope])
  scopes: IntegrationScope[];

  @Field(() => [ClientSecretType], { description: 'Every secret, oldest first, revoked and expired ones included' })
  secrets: ClientSecretType[];

  @Field(() => [ClientPublicKeyType])
  publicKeys: ClientPublicKeyType[];
}

export function oauthScopesOf(scopes: readonly IntegrationScope[]): string[] {
  return scopes.map((s) => OAUTH_SCOPE_OF[s]);
}

@ObjectType('CreatedClientSecret')
export class CreatedClientSecretPayload {
  @Field({ description: 'The client secret: shown only in this answer, only its hash is kept' })
  secret: string;

  @Field(() => ClientSecretType)
  clientSecret: ClientSecretType;

  @Field(() => IntegrationClientCredentialsType)
  client: IntegrationClientCredentialsType;
}

@InputType()
export class CreateClientSecretInput {
  @Field(() => ID, { description: "The client's service account" })
  @IsUUID()
  staffId: string;

  @Field(() => GraphQLISODateTime, { description: 'When the secret stops working (at most two years ahead)' })
  @Type(() => Date)
  @IsDate()
  expiresAt: Date;
}

@InputType()
export class SetIntegrationClientScopesInput {
  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field(() => [IntegrationScope])
  @ArrayNotEmpty()
  @IsEnum(IntegrationScope, { each: true })
  scopes: IntegrationScope[];
}

@InputType()
export class RegisterClientKeyInput {
  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field({
    description:
      'The public key as a JSON Web Key (RSA of at least 2048 bits, EC or OKP); its kid is the RFC 7638 thumbprint when it has none',
  })
  @IsString()
  @Length(2, 10000)
  jwk: string;
}

@InputType()
export class RemoveClientKeyInput {
  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  kid: string;
}
