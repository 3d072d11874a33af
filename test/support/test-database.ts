import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { AppConfig, createDataSource, loadConfig, SEAL_SQL } from '../../libs/domain/src';
import { databaseUrl, TEST_ADMIN_URL, TEST_REDIS_URL, templateDatabase, testDatabasePrefix } from './env';

/** Counts the SQL statements a piece of work runs (to prove the absence of N+1). */
export class StatementCounter implements Logger {
  count = 0;
  readonly statements: string[] = [];
  logQuery(query: string): void {
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN)/i.test(query.trim())) return;
    // The access-log sealer runs every second in the background; it is no request's statement.
    if (query === SEAL_SQL) return;
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
  url: string;
  config: AppConfig;
  dataSource: DataSource;
  counter: StatementCounter;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of this test file's own, cloned from the template in a few milliseconds. */
export async function createTestDatabase(overrides: Partial<Record<keyof AppConfig, string>> = {}): Promise<TestDatabase> {
  const name = `${testDatabasePrefix()}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
  const url = databaseUrl(name);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${name}`,
    SEED_DEMO_DATA: 'false',
    WORKER_HEALTH_PORT: '0',
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
    ...overrides,
  });
  const counter = new StatementCounter();
  const dataSource = createDataSource(config, counter);
  await dataSource.initialize();
  return {
    name,
    url,
    config,
    dataSource,
    counter,
    async drop() {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
