import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AuthContext, AuthModule, TokenService } from '@samverka/auth';
import { APP_CONFIG, AppConfig, Metrics, redisClient } from '@samverka/infrastructure';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GraphQLContext } from './graphql-context';
import { costRefusal } from './query-limits';

const WINDOW_SECONDS = 60;

/**
 * Limits every GraphQL request before it runs: its cost (with its variables, so `first: $n` counts),
 * and the number of requests per signed-in user and per client address a minute. The counts live in
 * Redis (rate-limiter-flexible), so the limits hold across every API instance. When Redis is away the
 * counts fall back to this process's memory (its insurance limiter): an outage neither refuses every
 * request nor lifts the limits. A request over a limit is refused whole (HTTP 429 for rates, 400 for
 * cost) and nothing in it runs.
 */
@Injectable()
export class RequestGuard implements OnApplicationShutdown {
  private readonly logger = new Logger('RequestGuard');
  private redis: Redis | null = null;

  /** Refuses a request over the per-user or per-client rate (throws RATE_LIMITED); also used for WebSocket subscriptions. */
  readonly enforceRates: (ctx: AuthContext) => Promise<void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, tokens: TokenService, metrics: Metrics) {
    this.enforceRates = rateLimits(config, tokens, () => this.connect(config), this.logger, metrics);
  }

  /** Connected on first use; no offline queue, so a request never waits on a Redis that is away. */
  private connect(config: AppConfig): Redis {
    if (this.redis) return this.redis;
    const redis = redisClient(config, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    let warned = false;
    redis.on('error', () => {
      if (!warned)
        this.logger.warn('Redis is unreachable: request rates are counted in this process only until it is back');
      warned = true;
    });
    redis.on('ready', () => (warned = false));
    redis.connect().catch(() => undefined);
    return (this.redis = redis);
  }

  plugin(): ApolloServerPlugin<GraphQLContext> {
    return requestGuardPlugin(this.enforceRates);
  }

  async onApplicationShutdown(): Promise<void> {
    // disconnect, not quit: quit waits for a Redis that may be away, and its reconnect timer would keep the process up.
    this.redis?.disconnect();
    this.redis = null;
  }
}

@Module({ imports: [AuthModule], providers: [RequestGuard], exports: [RequestGuard] })
export class RequestGuardModule {}

export function requestGuardPlugin(
  enforceRates: (ctx: AuthContext) => Promise<void>,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request: GraphQLRequestContext<GraphQLContext>) {
          // The operations of a batch share one context and its loaders: a change among them could leave
          // the others reading what the loaders held before it.
          if (request.contextValue.batched && request.operation!.operation !== 'query') {
            throw new GraphQLError('Only queries can be sent in a batch; send a mutation on its own', {
              extensions: { code: 'BAD_REQUEST', reason: 'BATCH_QUERIES_ONLY', http: { status: 400 } },
            });
          }
          const refusal = costRefusal(
            request.schema,
            request.document!,
            request.operation!,
            request.request.variables ?? {},
          );
          if (refusal) throw refusal;
          await enforceRates(request.contextValue);
        },
      };
    },
  };
}

/** The per-user and per-client rate limits (one limiter each), keyed by staff id and client address. */
function rateLimits(
  config: AppConfig,
  tokens: TokenService,
  redis: () => Redis,
  logger: Logger,
  metrics: Metrics,
): (ctx: AuthContext) => Promise<void> {
  const limiter = (who: 'user' | 'client', points: number) =>
    points > 0
      ? new RateLimiterRedis({
          storeClient: redis(),
          keyPrefix: `${config.QUEUE_PREFIX}:rate:${who}`,
          points,
          duration: WINDOW_SECONDS,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: `rate:${who}`, points, duration: WINDOW_SECONDS }),
        })
      : null;
  let limiters: { user: RateLimiterRedis | null; client: RateLimiterRedis | null } | null = null;

  return async function enforceRates(ctx: AuthContext): Promise<void> {
    const perUser = config.RATE_LIMIT_PER_USER_PER_MINUTE;
    const perClient = config.RATE_LIMIT_PER_CLIENT_PER_MINUTE;
    if (perUser === 0 && perClient === 0) return;
    limiters ??= { user: limiter('user', perUser), client: limiter('client', perClient) };
    // Authenticate here, once: the AuthGuard then reuses the actor. A bad token or session is left for the guard to refuse.
    if (!ctx.actor && (ctx.authorization || ctx.session))
      ctx.actor = await tokens.authenticateContext(ctx).catch(() => undefined);
    const checks: Array<[RateLimiterRedis, string, number, 'user' | 'client']> = [];
    if (limiters.user && ctx.actor) checks.push([limiters.user, ctx.actor.staffId, perUser, 'user']);
    if (limiters.client && ctx.clientAddress) checks.push([limiters.client, ctx.clientAddress, perClient, 'client']);
    for (const [rateLimiter, key, limit, who] of checks) {
      try {
        await rateLimiter.consume(key);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // Which limit, never whose: no staff id or address in the log.
        metrics.rateLimitRefusals.inc({ scope: who });
        logger.warn({
          event: 'rate_limit.refused',
          scope: who,
          limit,
          msg: `request refused: over the per-${who} rate of ${limit} a minute`,
        });
        const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw new GraphQLError(`Too many requests for this ${who}: at most ${limit} a minute; try again shortly`, {
          extensions: {
            code: 'RATE_LIMITED',
            http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
          },
        });
      }
    }
  };
}
