import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import {
  AccessLogService,
  checkRedis,
  createDataSource,
  ensureDatabase,
  openDatabase,
  runMigrations,
  StartupError,
} from '../../libs/domain/src';
import { ConfigError, JobName, JobQueue, loadConfig } from '../../libs/infrastructure/src';
import { databaseUrl, TEST_ADMIN_URL } from '../support/env';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** A production configuration with strong secrets of its own (test/unit/secret-strength.spec.ts tests the refusals). */
const PRODUCTION = {
  NODE_ENV: 'production',
  TOKEN_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_LOG_KEY: randomBytes(32).toString('base64url'),
  ACCESS_LOG_CHECKPOINT_FILE: '/var/lib/samverka/access-log-checkpoints',
};

describe('configuration', () => {
  it('works with no settings at all (local defaults)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://samverka_app@127.0.0.1:5432/samverka',
      DATABASE_OWNER_URL: 'postgres://samverka_owner@127.0.0.1:5432/samverka',
      AUTH_MODE: 'local',
    });
  });

  it('does not load demo data in production unless asked (and then refuses)', () => {
    expect(loadConfig({ ...PRODUCTION }).SEED_DEMO_DATA).toBe('false');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ TOKEN_SECRET: 'short' }, /TOKEN_SECRET must be at least 32 characters/],
    [{ AUTH_MODE: 'oidc' }, /AUTH_MODE=oidc needs OIDC_ISSUER/],
    [{ ACCESS_LOG_RETENTION_DAYS: '30' }, /at least 1825/],
    [{ NODE_ENV: 'production' }, /TOKEN_SECRET must be set in production/],
    [{ ...PRODUCTION, SEED_DEMO_DATA: 'true' }, /SEED_DEMO_DATA=true is refused in production/],
  ])('refuses %j with one line naming the setting', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('start-up against the services', () => {
  it('says how to start PostgreSQL when it is unreachable', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/samverka' });
    await expect(openDatabase(config, { migrate: false })).rejects.toThrow(StartupError);
    await expect(openDatabase(config, { migrate: false })).rejects.toThrow(
      /Cannot reach PostgreSQL at 127.0.0.1:1 \(ECONNREFUSED\); start it with: pg_ctlcluster/,
    );
  });

  it('says how to start Redis when it is unreachable', async () => {
    await expect(checkRedis(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }))).rejects.toThrow(
      /Cannot reach Redis at 127.0.0.1:1 .*start it with: redis-server/,
    );
  });

  it('creates a missing database, and two processes migrating at once apply each migration once', async () => {
    const name = `samverka_test_${process.env.SAMVERKA_TEST_RUN}_fresh_${Date.now()}`;
    const url = databaseUrl(name);
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const a = createDataSource({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    const b = createDataSource({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      const [first, second] = await Promise.all([runMigrations(a, url), runMigrations(b, url)]);
      // One of them did the work under the lock; the other found nothing left to do.
      expect([...first, ...second].sort()).toEqual(a.migrations.map((m) => m.name).sort());
      const rows = await a.query(`SELECT name FROM migrations ORDER BY id`);
      expect(rows.map((r: { name: string }) => r.name)).toEqual(a.migrations.map((m) => m.name));
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
      const admin = new Client({ connectionString: TEST_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('the worker process', () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    worker = await startWorker(db);
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
  });

  it('runs the access-log retention job: entries sealed past the retention period go, newer ones stay', async () => {
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    const log = new AccessLogService(db.dataSource, db.config);
    // The log's clock is the database's; as the owner the test stands in for the years between the entries.
    const sealYearsAgo = async (years: number) => {
      await db.ownerQuery(`CREATE OR REPLACE FUNCTION access_log_clock() RETURNS timestamptz LANGUAGE sql STABLE SET search_path = pg_catalog
        AS $$ SELECT now() - make_interval(years => ${years}) $$`);
      await db.dataSource.query(
        `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground) VALUES ($1, $1, 'NURSE', $2, 'READ_PERSON', 'person', 'GROUP_MEMBERSHIP')`,
        ids,
      );
      await log.sealPending();
    };
    await sealYearsAgo(11);
    await sealYearsAgo(4);
    await db.ownerQuery(
      `CREATE OR REPLACE FUNCTION access_log_clock() RETURNS timestamptz LANGUAGE sql STABLE SET search_path = pg_catalog AS $$ SELECT now() $$`,
    );
    await worker.get(JobQueue).enqueue(JobName.ACCESS_LOG_RETENTION, {});
    await eventually(async () => {
      const rows = await db.dataSource.query(`SELECT count(*)::int AS n FROM access_log`);
      return rows[0].n === 1;
    });
    const [kept] = await db.dataSource.query(`SELECT sealed_at FROM access_log`);
    expect(Date.now() - new Date(kept.sealed_at).getTime()).toBeLessThan(5 * 366 * 86_400_000);
  });

  it('refuses to change access-log entries', async () => {
    await expect(db.dataSource.query(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(/permission denied/);
    await expect(db.ownerQuery(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(/immutable/);
  });
});
