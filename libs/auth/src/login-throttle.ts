import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@samverka/domain';
import { APP_CONFIG, AppConfig, Metrics, redisClient } from '@samverka/infrastructure';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** Password guessing: after this many failures for one username within the window, login is refused for the rest of it. */
export const MAX_FAILED_LOGINS = 5;
/** Spraying many usernames from one address: after this many failures from it within the window, it is refused too. */
export const MAX_FAILED_LOGINS_PER_CLIENT = 50;
const WINDOW_SECONDS = 15 * 60;

/**
 * Counts failed password logins (the GraphQL `login` and HTTP Basic on the queue dashboard alike) per
 * username and per client address, in Redis so that the lockout holds across API instances. Each
 * username has its own key that expires on its own: no amount of failures for other usernames can
 * clear it (an in-process map that was emptied when full could be reset by flooding unknown names).
 * When Redis is unreachable the counts fall back to this process's memory (rate-limiter-flexible's
 * insurance limiter), so an outage neither locks everybody out nor lifts the lockout altogether.
 * Keys hold a hash of the username, never the name itself.
 */
@Injectable()
export class LoginThrottle implements OnApplicationShutdown {
  private readonly logger = new Logger('LoginThrottle');
  private readonly redis: Redis;
  private readonly byUsername: RateLimiterRedis;
  private readonly byClient: RateLimiterRedis;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    // No offline queue and one retry: a login must not hang while Redis is away; the insurance limiter answers.
    this.redis = redisClient(config, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', () => undefined);
    this.redis
      .connect()
      .catch(() => this.logger.warn('Redis is unreachable: failed logins are counted in this process only'));
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${config.QUEUE_PREFIX}:login-failures:${name}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          keyPrefix: `login-failures:${name}`,
          points,
          duration: WINDOW_SECONDS,
        }),
      });
    this.byUsername = limiter('user', MAX_FAILED_LOGINS);
    this.byClient = limiter('client', MAX_FAILED_LOGINS_PER_CLIENT);
  }

  /** Refuses (before the password is checked) a username or client address that has used up its failures. */
  async assertMayTry(username: string, clientAddress: string | null | undefined): Promise<void> {
    const [user, client] = await Promise.all([
      this.byUsername.get(usernameKey(username)),
      clientAddress ? this.byClient.get(clientAddress) : null,
    ]);
    if (user && user.consumedPoints >= MAX_FAILED_LOGINS) {
      // Which lock, never whose: no username or address in the log.
      this.metrics.loginLockouts.inc({ scope: 'username' });
      this.logger.warn({
        event: 'login.locked',
        scope: 'username',
        msg: 'login refused: a username is locked after repeated failures',
      });
      throw new DomainError(
        DomainErrorCode.UNAUTHENTICATED,
        'Too many failed logins for this username; wait 15 minutes',
      );
    }
    if (client && client.consumedPoints >= MAX_FAILED_LOGINS_PER_CLIENT) {
      this.metrics.loginLockouts.inc({ scope: 'client' });
      this.logger.warn({
        event: 'login.locked',
        scope: 'client',
        msg: 'login refused: a client address is locked after repeated failures',
      });
      throw new DomainError(
        DomainErrorCode.UNAUTHENTICATED,
        'Too many failed logins from this address; wait 15 minutes',
      );
    }
  }

  /**
   * The same limits as a boolean, for callers that answer in their own protocol (the OAuth token endpoint counts
   * failed client authentications here, keyed `oauth-client:<client id>`, so one lockout covers every way in).
   */
  async isLocked(username: string, clientAddress: string | null | undefined): Promise<boolean> {
    try {
      await this.assertMayTry(username, clientAddress);
      return false;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.UNAUTHENTICATED) return true;
      throw error;
    }
  }

  async recordFailure(username: string, clientAddress: string | null | undefined): Promise<void> {
    await Promise.all([
      this.byUsername.penalty(usernameKey(username)),
      clientAddress ? this.byClient.penalty(clientAddress) : undefined,
    ]);
  }

  /** A successful login clears the username's count (not the address's: one good password must not cover a spray). */
  async recordSuccess(username: string): Promise<void> {
    await this.byUsername.delete(usernameKey(username)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

function usernameKey(username: string): string {
  return createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
}
