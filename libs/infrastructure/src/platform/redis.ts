import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

type RedisSettings = Pick<AppConfig, 'REDIS_URL'> &
  Partial<Pick<AppConfig, 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD'>>;

/**
 * With REDIS_SENTINELS, ioredis asks the Sentinels for the current master of REDIS_SENTINEL_NAME (and again
 * after a failover); REDIS_URL then gives only the credentials, database number and TLS (`rediss://`).
 */
function sentinelOptions(config: RedisSettings): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const tls = url.protocol === 'rediss:';
  return {
    sentinels: config.REDIS_SENTINELS!.split(',').map((entry) => {
      const [host, port] = entry.trim().split(/:(?=\d+$)/);
      return { host: host.replace(/^\[|\]$/g, ''), port: Number(port || 26379) };
    }),
    name: config.REDIS_SENTINEL_NAME,
    ...(config.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: config.REDIS_SENTINEL_PASSWORD } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number(url.pathname.slice(1) || 0),
    ...(tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/** Every Redis connection of Samverka is made here: a plain REDIS_URL, or through Sentinel (REDIS_SENTINELS). */
export function redisClient(config: RedisSettings, options: RedisOptions = {}): Redis {
  return config.REDIS_SENTINELS
    ? new Redis({ ...sentinelOptions(config), ...options })
    : new Redis(config.REDIS_URL, options);
}

/** BullMQ needs `maxRetriesPerRequest: null` on connections that block (workers). */
export function redisConnection(config: RedisSettings, options: RedisOptions = {}): Redis {
  return redisClient(config, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
}

/**
 * The prefix of every BullMQ key: QUEUE_PREFIX in braces, a Redis Cluster hash tag, so that every key of
 * every queue hashes to one slot (BullMQ's scripts touch several keys of a queue in one call). Our own keys
 * (rate limits, login failures, the relay's sentinel) are single-key operations and need no tag.
 */
export function queuePrefix(config: Pick<AppConfig, 'QUEUE_PREFIX'>): string {
  return `{${config.QUEUE_PREFIX}}`;
}

/**
 * BullMQ requires Redis not to evict keys: an evicted job or lock is work silently lost. Returns a warning
 * when the server says otherwise (`INFO memory`, which works where CONFIG is disabled), or null.
 */
export async function evictionWarning(redis: Redis): Promise<string | null> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (!policy || policy === 'noeviction') return null;
  return `Redis maxmemory-policy is ${policy}; it must be noeviction, or Redis may drop queued jobs and their locks under memory pressure (README, Redis)`;
}
