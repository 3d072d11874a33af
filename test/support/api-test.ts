import { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../../libs/infrastructure/src';
import { Fixtures } from './fixtures';
import { startTestApi, TestApi } from './test-api';
import { startWorker } from './test-context';
import { createTestDatabase, TestDatabase } from './test-database';

/** What an API test file works with; filled in by beforeAll (read it inside tests and hooks, not at load). */
export interface ApiTest {
  /** This file's own database, cloned from the migrated template. */
  db: TestDatabase;
  /** The real API over HTTP on that database. */
  api: TestApi;
  /** Builds data on that database (staff, persons, groups...). */
  f: Fixtures;
  /** The worker (queue consumers) when asked for, else null. */
  worker: INestApplicationContext | null;
}

export interface ApiTestOptions {
  /** Start the worker too (jobs are consumed: discharges, reminders, webhooks). */
  worker?: boolean;
  /** Settings of the database's config to override (createTestDatabase). */
  database?: Partial<Record<keyof AppConfig, string>>;
  /** Settings to override for the API only (startTestApi). */
  config?: Partial<AppConfig>;
  /** Serve this build of the web client too. */
  webClientDir?: string;
}

/**
 * The setup every API test file shares: in beforeAll its own database, the API (and the worker) and Fixtures;
 * in afterAll each closed, in reverse order, whatever failed to start. Call it at the top of a describe block.
 */
export function useApiTest(options: ApiTestOptions = {}): ApiTest {
  const t: Partial<ApiTest> = {};
  beforeAll(async () => {
    t.db = await createTestDatabase(options.database);
    t.api = await startTestApi(t.db, { config: options.config, webClientDir: options.webClientDir });
    t.worker = options.worker ? await startWorker(t.db) : null;
    t.f = new Fixtures(t.db.dataSource);
  });
  afterAll(async () => {
    await t.worker?.close();
    await t.api?.close();
    await t.db?.drop();
  });
  return t as ApiTest;
}
