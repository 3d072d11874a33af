import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { createDataSource, SEALER_STATEMENTS } from '../../libs/domain/src';
import { AppConfig, loadConfig } from '../../libs/infrastructure/src';
import { databaseUrl, OWNER_ROLE, TEST_ADMIN_URL, TEST_REDIS_URL, templateDatabase, testDatabasePrefix } from './env';

/** Counts the SQL statements a piece of work runs (to prove the absence of N+1). */
export class StatementCounter implements Logger {
  count = 0;
  readonly statements: string[] = [];
  logQuery(query: string): void {
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN)/i.test(query.trim())) return;
    // The access-log sealer runs every second in the background (and, once, names the database for its
    // checkpoint file); none of that is a request's statement.
    if (SEALER_STATEMENTS.includes(query)) return;
    this.count++;
    this.statements.push(query);
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export interface TestDatabase {
  name: string;
  /** As the application role (what the API and the worker use). */
  url: string;
  /** As the owner role: for tests that deliberately do what the application cannot. */
  ownerUrl: string;
  config: AppConfig;
  /** Connected as the application role, like the API under test. */
  dataSource: DataSource;
  counter: StatementCounter;
  /** Runs SQL as the owner role (one connection per call), e.g. to tamper with the access log with its triggers off. */
  ownerQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function connect<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const admin = <T>(work: (client: Client) => Promise<T>): Promise<T> => connect(TEST_ADMIN_URL, work);

/**
 * A fresh, migrated database of this test file's own, cloned from the template in a few milliseconds, owned
 * by the owner role; `dataSource` connects as the application role, with a checkpoint file of its own.
 */
export async function createTestDatabase(
  overrides: Partial<Record<keyof AppConfig, string>> = {},
): Promise<TestDatabase> {
  const name = `${testDatabasePrefix()}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()} OWNER ${OWNER_ROLE}`));
  const url = databaseUrl(name, 'app');
  const ownerUrl = databaseUrl(name, 'owner');
  const checkpointFile = join(tmpdir(), `${name}-access-log-checkpoints`);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_OWNER_URL: ownerUrl,
    ACCESS_LOG_CHECKPOINT_FILE: checkpointFile,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${name}`,
    SEED_DEMO_DATA: 'false',
    WORKER_HEALTH_PORT: '0',
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
    // A loaded test machine may take longer than production's second to render a first screen; the tests that
    // check the first screen want it rendered (web-serving sets a short wait where it tests the fallback).
    FIRST_SCREEN_WAIT_MS: '30000',
    // Production refuses every secret shipped in the repository: a production test gets fresh ones.
    ...(overrides.NODE_ENV === 'production'
      ? { TOKEN_SECRET: randomBytes(32).toString('base64url'), ACCESS_LOG_KEY: randomBytes(32).toString('base64url') }
      : {}),
    ...overrides,
  });
  const counter = new StatementCounter();
  const dataSource = createDataSource(config, counter);
  await dataSource.initialize();
  return {
    name,
    url,
    ownerUrl,
    config,
    dataSource,
    counter,
    ownerQuery: <T>(sql: string, params: unknown[] = []) =>
      connect(ownerUrl, async (c) => (await c.query(sql, params)).rows as T[]),
    async drop() {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(checkpointFile, { force: true });
    },
  };
}
