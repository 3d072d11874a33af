import { DataSource, Logger } from 'typeorm';
import { AppConfig, ConfigError, evictionWarning, redisClient } from '@samverka/infrastructure';
import { createDataSource } from './data-source';
import { ensureDatabase, runMigrations } from './migrate';
import { roleIsPrivileged, roleOf } from './roles';

/** A failure at start that the operator can fix; the message is one line that says how. */
export class StartupError extends Error {}

const START_POSTGRES =
  'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or: docker compose up -d postgres)';
const START_REDIS =
  'start it with: redis-server --daemonize yes --port 6379 --save "" --appendonly no (or: docker compose up -d redis)';

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0] ?? 'unknown error';
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/**
 * Creates the database if missing and applies pending migrations under the advisory lock, as the owner role
 * (DATABASE_OWNER_URL, which should be a direct connection, not through PgBouncer: the lock is held by the
 * session), which then grants the application role its rights. `npm run migrate` and, unless
 * MIGRATE_ON_START=false, every API and worker at start. Returns the migrations applied.
 */
export async function migrateDatabase(config: AppConfig, options: { logger?: Logger } = {}): Promise<string[]> {
  const ownerUrl = config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
  const twoRoles = ownerUrl !== config.DATABASE_URL;
  try {
    await ensureDatabase(ownerUrl);
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      throw new StartupError(
        `The database in DATABASE_OWNER_URL does not exist and its role may not create it; create it owned by that role (npm start does so locally)`,
      );
    }
    throw new StartupError(`Cannot reach PostgreSQL at ${hostOf(ownerUrl)} (${describe(error)}); ${START_POSTGRES}`);
  }
  const owner = createDataSource({ ...config, DATABASE_URL: ownerUrl, DATABASE_POOL_SIZE: 1 }, options.logger);
  await owner.initialize();
  try {
    return await runMigrations(owner, ownerUrl, twoRoles ? { appRole: roleOf(config.DATABASE_URL) } : {});
  } finally {
    await owner.destroy();
  }
}

/**
 * Migrates (see migrateDatabase) when asked, then connects as the application role (DATABASE_URL, which may
 * go through PgBouncer in transaction mode). Production refuses an application role that could switch guards off.
 */
export async function openDatabase(
  config: AppConfig,
  options: { migrate: boolean; logger?: Logger },
): Promise<DataSource> {
  if (options.migrate) await migrateDatabase(config, options);
  const dataSource = createDataSource(config, options.logger);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new StartupError(
      `Cannot reach PostgreSQL at ${hostOf(config.DATABASE_URL)} (${describe(error)}); ${START_POSTGRES}`,
    );
  }
  if (config.NODE_ENV === 'production' && (await roleIsPrivileged(dataSource))) {
    await dataSource.destroy();
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL connects as a superuser or the owner of the database objects; in production it must be the application role (see README, Configuration)',
    );
  }
  return dataSource;
}

/**
 * Fails fast with one line when Redis is unreachable, instead of retrying forever in the background. Returns
 * what the operator should fix but that does not stop the start (a maxmemory-policy other than noeviction),
 * for the caller to log once its logger is up.
 */
export async function checkRedis(config: AppConfig): Promise<{ warnings: string[] }> {
  const client = redisClient(config, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  client.on('error', () => undefined);
  const where = config.REDIS_SENTINELS
    ? `the master ${config.REDIS_SENTINEL_NAME} of the Sentinels ${config.REDIS_SENTINELS}`
    : hostOf(config.REDIS_URL);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new StartupError(`Cannot reach Redis at ${where} (${describe(error)}); ${START_REDIS}`);
  }
  try {
    const warning = await evictionWarning(client).catch(() => null);
    return { warnings: warning ? [warning] : [] };
  } finally {
    client.disconnect();
  }
}
