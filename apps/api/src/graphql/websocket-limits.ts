import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthContext, BrowserSession, SessionService } from '@samverka/auth';
import {
  ASTVisitor,
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { IncomingMessage } from 'node:http';
import type { WebSocketServer } from 'ws';
import { addressBehindProxies, type TrustProxy } from '../http/client-address';
import { formatError } from './errors';
import { costRefusal } from './query-limits';

/** What graphql-ws knows of a connection: its connection parameters and the upgrade request it came in on. */
type WebSocketContext = Context<Record<string, unknown> | undefined, unknown>;

/** The token a WebSocket connection carries in its connection parameters (HTTP requests carry it in a header). */
export function authorizationParam(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** The browser's session cookie on a WebSocket's upgrade request, valid only if the upgrade came from our own origin. */
export function webSocketSession(
  ctx: { extra?: unknown },
  sessions: Pick<SessionService, 'fromRequest'>,
): BrowserSession | undefined {
  const request = (ctx.extra as { request?: IncomingMessage } | undefined)?.request;
  return request ? sessions.fromRequest(request, 'websocket') : undefined;
}

/** The client address of a WebSocket connection, from its upgrade request behind the believed proxies (for rate limits and the access log). */
export function webSocketClientAddress(ctx: { extra?: unknown }, trust: TrustProxy): string | null {
  const request = (ctx.extra as { request?: IncomingMessage } | undefined)?.request;
  return request ? addressBehindProxies(request, trust) : null;
}

/** The codes Apollo gives parse and validation errors over HTTP, so that both endpoints answer alike. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });

/** The WebSocket carries subscriptions only: queries and mutations go over HTTP, where every limit and the CSRF check apply. */
const onlySubscriptions: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(node) {
    if (node.operation !== 'subscription') {
      context.reportError(
        new GraphQLError(
          `Only subscriptions are served over WebSocket; send a ${node.operation} as an HTTP POST to /graphql`,
          { nodes: [node] },
        ),
      );
    }
  },
});

/**
 * The WebSocket endpoint under the same limits as HTTP. graphql-ws is not served through Apollo's
 * plugins and validation rules, so without this one WebSocket connection would bypass them all. Every
 * subscribe message is parsed and validated here with the HTTP rules (depth, aliases), subscriptions
 * only, no introspection in production; then costed and counted against the per-user and per-client
 * rates; errors are formatted as over HTTP (no suggestions in production, unknown errors masked).
 * `schema` is the served schema, captured when the GraphQL module builds it.
 */
export function webSocketLimits(options: {
  production: boolean;
  rules: ValidationRule[];
  schema: () => GraphQLSchema;
  enforceRates: (ctx: AuthContext) => Promise<void>;
  sessions: Pick<SessionService, 'fromRequest'>;
  trust: () => TrustProxy;
}) {
  const rules = [
    ...specifiedRules,
    ...options.rules,
    onlySubscriptions,
    ...(options.production ? [NoSchemaIntrospectionCustomRule] : []),
  ];
  const formatted = (errors: readonly GraphQLError[]) =>
    errors.map((e) => {
      const f = formatError(e.toJSON(), e, { hideSuggestions: options.production });
      return new GraphQLError(f.message, { path: f.path, extensions: f.extensions });
    });

  const check = async (
    ctx: WebSocketContext,
    payload: SubscribePayload,
  ): Promise<{ document: DocumentNode } | GraphQLError[]> => {
    const schema = options.schema();
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (error) {
      if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
      throw error;
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const refusal = costRefusal(schema, document, definition, payload.variables ?? {});
      if (refusal) return [refusal];
    }
    try {
      await options.enforceRates({
        authorization: authorizationParam(ctx.connectionParams),
        session: webSocketSession(ctx, options.sessions),
        clientAddress: webSocketClientAddress(ctx, options.trust()),
      });
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    return { document };
  };

  return {
    onSubscribe: async (ctx: WebSocketContext, _id: string, payload: SubscribePayload) => {
      const checked = await check(ctx, payload);
      if (Array.isArray(checked)) return formatted(checked);
      return {
        schema: options.schema(),
        document: checked.document,
        operationName: payload.operationName,
        variableValues: payload.variables,
      };
    },
    onNext: (
      _ctx: WebSocketContext,
      _id: string,
      _payload: SubscribePayload,
      _args: unknown,
      result: { errors?: readonly GraphQLError[] },
    ) => (result.errors?.length ? { ...result, errors: formatted(result.errors).map((e) => e.toJSON()) } : undefined),
  };
}

/**
 * The largest WebSocket message accepted, before or after authentication: a subscribe message is a
 * small document and its variables. ws's default (100 MiB) would let anyone, unauthenticated, make the
 * API buffer that much per message. Over the cap the socket is closed (1009, message too big).
 */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 64 * 1024;

/**
 * Applies MAX_WEBSOCKET_MESSAGE_BYTES to the WebSocket server that @nestjs/graphql creates for
 * graphql-ws. That server takes no size option, so the cap is set on it once the GraphQL module has
 * started it; ws reads `maxPayload` from its options for every new connection.
 */
@Injectable()
export class WebSocketMessageCap implements OnApplicationBootstrap {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    const graphql = this.moduleRef.get(GraphQLModule, { strict: false });
    const subscriptions = (graphql.graphQlAdapter as unknown as { _subscriptionService?: { wss?: WebSocketServer } })
      ._subscriptionService;
    if (!subscriptions?.wss)
      throw new Error('The GraphQL WebSocket server was not found: its message size cannot be capped');
    subscriptions.wss.options.maxPayload = MAX_WEBSOCKET_MESSAGE_BYTES;
  }
}
