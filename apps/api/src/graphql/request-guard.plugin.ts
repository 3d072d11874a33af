import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AuthContext, AuthModule, TokenService } from '@samverka/auth';
import { APP_CONFIG, AppConfig } from '@samverka/domain';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { GraphQLContext } from './graphql-context';
import { costRefusal } from './query-limits';

const WINDOW_SECONDS = 60;

/**
 * Limits every GraphQL request before it runs: its cost (with its variables, so `first: $n` counts),
 * and the number of requests per signed-in user and per client address in the current minute. The
 * counters live in Redis, so the limits hold across every API instance. A request over a limit is
 * refused whole (HTTP 429 for rates, 400 for cost) and nothing in it runs.
 */
@Injectable()
export class RequestGuard implements OnApplicationShutdown {
  private redis: Redis | null = null;

  /** Refuses a request over the per-user or per-client rate (throws RATE_LIMITED); also used for WebSocket subscriptions. */
  readonly enforceRates: (ctx: AuthContext) => Promise<void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, tokens: TokenService) {
    this.enforceRates = rateLimits(config, tokens, () => (this.redis ??= new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 })));
  }

  plugin(): ApolloServerPlugin<GraphQLContext> {
    return requestGuardPlugin(this.enforceRates);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    this.redis = null;
  }
}

@Module({ imports: [AuthModule], providers: [RequestGuard], exports: [RequestGuard] })
export class RequestGuardModule {}

export function requestGuardPlugin(enforceRates: (ctx: AuthContext) => Promise<void>): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request: GraphQLRequestContext<GraphQLContext>) {
          const refusal = costRefusal(request.schema, request.document!, request.operation!, request.request.variables ?? {});
          if (refusal) throw refusal;
          await enforceRates(request.contextValue);
        },
      };
    },
  };
}

/** The per-user and per-client rate limits, counted in Redis so that they hold across API instances. */
function rateLimits(config: AppConfig, tokens: TokenService, redis: () => Redis): (ctx: AuthContext) => Promise<void> {
  const prefix = `${config.QUEUE_PREFIX}:rate`;
  return async function enforceRates(ctx: AuthContext): Promise<void> {
    const perUser = config.RATE_LIMIT_PER_USER_PER_MINUTE;
    const perClient = config.RATE_LIMIT_PER_CLIENT_PER_MINUTE;
    if (perUser === 0 && perClient === 0) return;
    // Authenticate here, once: the AuthGuard then reuses the actor. A bad token or session is left for the guard to refuse.
    if (!ctx.actor && (ctx.authorization || ctx.session)) ctx.actor = await tokens.authenticateContext(ctx).catch(() => undefined);
    const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const keys: Array<[string, number, string]> = [];
    if (perUser > 0 && ctx.actor) keys.push([`${prefix}:user:${ctx.actor.staffId}:${window}`, perUser, 'user']);
    if (perClient > 0 && ctx.clientAddress) keys.push([`${prefix}:client:${ctx.clientAddress}:${window}`, perClient, 'client']);
    if (keys.length === 0) return;
    const pipeline = redis().multi();
    for (const [key] of keys) pipeline.incr(key).expire(key, WINDOW_SECONDS * 2);
    const results = (await pipeline.exec()) ?? [];
    keys.forEach(([, limit, who], i) => {
      const count = Number(results[i * 2]?.[1] ?? 0);
      if (count > limit) {
        throw new GraphQLError(`Too many requests for this ${who}: at most ${limit} a minute; try again shortly`, {
          extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', String(WINDOW_SECONDS)]]) } },
        });
      }
    });
  };
}
