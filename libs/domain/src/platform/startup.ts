import { Redis } from 'ioredis';
import { DataSource, Logger } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { ensureDatabase, runMigrations } from '../database/migrate';

/** A failure at start that the operator can fix; the message is one line that says how. */
export class StartupError extends Error {}

const START_POSTGRES = 'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or: docker compose up -d postgres)';
const START_REDIS = 'start it with: redis-server --daemonize yes --port 6379 --save "" --appendonly no (or: docker compose up -d redis)';

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0] ?? 'unknown error';
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** Creates the database if missing, connects, and applies pending migrations under the advisory lock. */
export async function openDatabase(config: AppConfig, options: { migrate: boolean; logger?: Logger }): Promise<DataSource> {
  try {
    await ensureDatabase(config.DATABASE_URL);
  } catch (error) {
    throw new StartupError(`Cannot reach PostgreSQL at ${hostOf(config.DATABASE_URL)} (${describe(error)}); ${START_POSTGRES}`);
  }
  const dataSource = createDataSource(config, options.logger);
  await dataSource.initialize();
  if (options.migrate) await runMigrations(dataSource, config.DATABASE_URL);
  return dataSource;
}

/** Fails fast with one line when Redis is unreachable, instead of retrying forever in the background. */
export async function checkRedis(config: AppConfig): Promise<void> {
  const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new StartupError(`Cannot reach Redis at ${hostOf(config.REDIS_URL)} (${describe(error)}); ${START_REDIS}`);
  } finally {
    client.disconnect();
  }
}
