import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLFormattedError } from 'graphql';
import { GraphQLContext } from './graphql-context';

/**
 * Runs an operation through the API's own GraphQL server (its plugins, limits, resolvers and field hiding)
 * with a request's context. The HTTP routes built from GraphQL (the SIP document's PDF, the FHIR API) read
 * through it, so the access policy decides and logs their reads, and the declared field hiding
 * (withheld.ts) empties what a consent withholds, exactly as for the web client.
 */
@Injectable()
export class OwnGraphQL {
  constructor(private readonly moduleRef: ModuleRef) {}

  async query<T>(query: string, variables: Record<string, unknown>, contextValue: GraphQLContext): Promise<T> {
    const server = this.moduleRef.get(GraphQLModule<ApolloDriver>, { strict: false }).graphQlAdapter.instance;
    const response = await server.executeOperation<T>({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    const { data, errors } = response.body.singleResult;
    if (errors?.length || !data) throw new GraphQLRefusal(errors?.[0]);
    return data as T;
  }
}

/** A refusal the GraphQL answer carried (not found, forbidden, rate limited), passed on with its code. */
export class GraphQLRefusal extends Error {
  readonly code: string;
  constructor(error: GraphQLFormattedError | undefined) {
    super(error?.message ?? 'No answer');
    this.code = String(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  }
}
