import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdministratorsOnly, CurrentActor } from '@samverka/auth';
import { Actor, IntegrationClientInfo, IntegrationClientService } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { UuidPipe } from '../../graphql/uuid.pipe';
import {
  CreateClientSecretInput,
  CreatedClientSecretPayload,
  IntegrationClientCredentialsType,
  oauthScopesOf,
  RegisterClientKeyInput,
  RemoveClientKeyInput,
  SetIntegrationClientScopesInput,
} from './integration-client.types';
import { StaffMemberType } from './staff.types';

/**
 * Integration clients' OAuth credentials, for the administrator: secrets (created with an expiry, shown once,
 * two in force during a change-over, revoked at once), public keys for private_key_jwt, and scopes.
 */
@Resolver(() => IntegrationClientCredentialsType)
export class IntegrationClientResolver {
  constructor(private readonly clients: IntegrationClientService) {}

  @AdministratorsOnly()
  @Query(() => [IntegrationClientCredentialsType], {
    description: "Every integration client's OAuth credentials (administrators)",
  })
  integrationClients() {
    return this.clients.list();
  }

  @AdministratorsOnly()
  @Mutation(() => CreatedClientSecretPayload, {
    description:
      'A new client secret with an expiry, shown only in this answer; at most two are in force, so an old one keeps working during a change-over',
  })
  async createIntegrationClientSecret(@Args('input') input: CreateClientSecretInput, @CurrentActor() actor: Actor) {
    const { secret, info } = await this.clients.createSecret(actor, input.staffId, input.expiresAt);
    return { secret, clientSecret: info, client: await this.clients.get(input.staffId) };
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientCredentialsType, {
    description: 'Revokes a client secret: the token endpoint refuses it from the next request on',
  })
  revokeIntegrationClientSecret(
    @Args('secretId', { type: () => ID }, UuidPipe) secretId: string,
    @CurrentActor() actor: Actor,
  ) {
    return this.clients.revokeSecret(actor, secretId);
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientCredentialsType, {
    description: "Sets the client's scopes; its tokens lose a removed scope on their next request",
  })
  setIntegrationClientScopes(@Args('input') input: SetIntegrationClientScopesInput) {
    return this.clients.setScopes(input.staffId, input.scopes);
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientCredentialsType, {
    description: 'Registers a public key (JWK) for private_key_jwt client authentication',
  })
  registerIntegrationClientKey(@Args('input') input: RegisterClientKeyInput) {
    return this.clients.addPublicKey(input.staffId, input.jwk);
  }

  @AdministratorsOnly()
  @Mutation(() => IntegrationClientCredentialsType, {
    description: 'Removes a public key: assertions signed with it are refused from the next request on',
  })
  removeIntegrationClientKey(@Args('input') input: RemoveClientKeyInput) {
    return this.clients.removePublicKey(input.staffId, input.kid);
  }

  @ResolveField(() => [String], { description: 'The scopes as OAuth scope strings (person.read, ...)' })
  oauthScopes(@Parent() client: IntegrationClientInfo) {
    return oauthScopesOf(client.scopes);
  }

  @ResolveField(() => StaffMemberType, { description: 'The service account the client acts as' })
  staff(@Parent() client: IntegrationClientInfo, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(client.staffId);
  }
}
