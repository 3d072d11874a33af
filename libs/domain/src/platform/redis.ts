import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/** BullMQ needs `maxRetriesPerRequest: null` on connections that block (workers). */
export function redisConnection(config: Pick<AppConfig, 'REDIS_URL'>, options: RedisOptions = {}): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
}
