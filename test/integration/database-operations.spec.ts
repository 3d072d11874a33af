import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AccessLogService, createDataSource, roleIsPrivileged } from '../../libs/domain/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { APP_ROLE, databaseUrl, OWNER_ROLE, TEST_ADMIN_URL, testDatabasePrefix } from '../support/env';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const root = join(__dirname, '../..');

/** Runs a command to its end; resolves with its exit code and everything it printed. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
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

/** A database name of this run's own (dropped by this file, and by a later run's setup if this one dies). */
const ownName = (what: string) => `${testDatabasePrefix()}${process.pid}_${what}_${randomBytes(3).toString('hex')}`;

describe('npm run migrate (its own command: roles, database, migrations, grants)', () => {
  const name = ownName('migrate');

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('creates the database with DATABASE_ADMIN_URL, applies every migration as the owner, grants the application role; a second run finds nothing to do', async () => {
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl(name, 'app'),
      DATABASE_OWNER_URL: databaseUrl(name, 'owner'),
      DATABASE_ADMIN_URL: TEST_ADMIN_URL,
    };
    const first = await run(process.execPath, ['scripts/migrate.js'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toMatch(/created the database/);
    expect(first.output).toMatch(/applied \d+ migration\(s\)/);
    const [owner] = await admin((c) =>
      c
        .query(`SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [name])
        .then((r) => r.rows),
    );
    expect(owner.owner).toBe(OWNER_ROLE);

    const second = await run(process.execPath, ['scripts/migrate.js'], env);
    expect(second).toMatchObject({ code: 0 });
    expect(second.output).toContain('migrate: the schema is current');

    // The application role reads and writes, owns nothing, and cannot change the access log.
    const app = createDataSource({ DATABASE_URL: env.DATABASE_URL, DATABASE_POOL_SIZE: 1 });
    await app.initialize();
    try {
      expect(await roleIsPrivileged(app)).toBe(false);
      await expect(app.query(`SELECT count(*) FROM person`)).resolves.toEqual([{ count: '0' }]);
      await expect(app.query(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.destroy();
    }
  }, 120_000);

  it('fails with one line naming what is wrong', async () => {
    const result = await run(process.execPath, ['scripts/migrate.js'], {
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://samverka_app@127.0.0.1:1/nowhere',
      DATABASE_OWNER_URL: 'postgres://samverka_owner@127.0.0.1:1/nowhere',
    });
    expect(result.code).toBe(1);
    expect(result.output.trim()).toMatch(/^migrate: Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  }, 60_000);
});

/**
 * The backup procedure of the README: pg_dump in the custom format, pg_restore into a fresh database owned by
 * the owner role, and the restored copy holds: the access-log chain verifies against the same key and
 * checkpoints (npm run audit:verify), and the application role has its grants and nothing more.
 */
describe('backup and restore (pg_dump, pg_restore, the access-log verifier on the copy)', () => {
  let db: TestDatabase;
  const restoredName = ownName('restored');
  const dumpFile = join(tmpdir(), `${restoredName}.dump`);

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`));
    rmSync(dumpFile, { force: true });
    await db?.drop();
  });

  it('restores a dump whose access log verifies and whose application role keeps exactly its grants', async () => {
    // Data: the demo data set and access-log entries, sealed (chained and checkpointed outside the database).
    await seedDemoData(db.dataSource, {
      hashPassword: async () => '$2a$04$abcdefghijklmnopqrstuuM3yXvWfa0Y5JYwG3W8VhE6B1H0Sxq9e',
    });
    const [{ id: personId }] = await db.dataSource.query(`SELECT id FROM person LIMIT 1`);
    const [{ id: staffId, organisation_id: organisationId }] = await db.dataSource.query(
      `SELECT id, organisation_id FROM staff_member LIMIT 1`,
    );
    for (let i = 0; i < 25; i++) {
      await db.dataSource.query(
        `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground) VALUES ($1, $2, 'NURSE', $3, 'READ_PERSON', 'person', 'GROUP_MEMBERSHIP')`,
        [staffId, organisationId, i % 2 ? personId : randomUUID()],
      );
    }
    const log = new AccessLogService(db.dataSource, db.config);
    await log.sealPending();
    const source = await log.verify(1000);
    expect(source).toMatchObject({ ok: true, unsealed: 0 });
    expect(source.sealed).toBeGreaterThanOrEqual(25);
    const counts = async (url: string) => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (
          await c.query(
            `SELECT (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM access_log)::int AS entries, (SELECT count(*) FROM sip_plan)::int AS plans`,
          )
        ).rows[0];
      } finally {
        await c.end();
      }
    };
    const before = await counts(db.ownerUrl);

    // The backup, as the owner role: custom format, compressed, restorable table by table.
    const dump = await run('pg_dump', ['--format=custom', `--file=${dumpFile}`, `--dbname=${db.ownerUrl}`]);
    expect(dump).toEqual({ code: 0, output: '' });

    // The restore: a fresh, empty database owned by the owner role, restored as that role in one transaction.
    await admin((c) => c.query(`CREATE DATABASE ${restoredName} OWNER ${OWNER_ROLE} TEMPLATE template0`));
    const restore = await run('pg_restore', [
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${databaseUrl(restoredName, 'owner')}`,
      dumpFile,
    ]);
    expect(restore).toEqual({ code: 0, output: '' });
    expect(await counts(databaseUrl(restoredName, 'owner'))).toEqual(before);

    // The operator's verifier on the copy, as the application role, with the same key and checkpoint file.
    const verify = await run(process.execPath, ['scripts/run-ts.js', 'scripts/audit/verify.ts'], {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl(restoredName, 'app'),
      ACCESS_LOG_KEY: db.config.ACCESS_LOG_KEY,
      ACCESS_LOG_CHECKPOINT_FILE: db.config.ACCESS_LOG_CHECKPOINT_FILE!,
    });
    expect(verify.output).toContain('RESULT audit-verify ok');
    expect(verify.code).toBe(0);

    // The application role's grants came back with the dump: it reads and writes, owns nothing, and cannot change the log.
    const app = createDataSource({ DATABASE_URL: databaseUrl(restoredName, 'app'), DATABASE_POOL_SIZE: 1 });
    await app.initialize();
    try {
      expect(await roleIsPrivileged(app)).toBe(false);
      const [{ n }] = await app.query(`SELECT count(*)::int AS n FROM person`);
      expect(n).toBe(before.persons);
      await expect(app.query(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM access_log`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`ALTER TABLE person ADD COLUMN x int`)).rejects.toThrow(/must be owner/);
      const [{ has }] = await app.query(`SELECT has_table_privilege($1, 'public.person', 'INSERT') AS has`, [APP_ROLE]);
      expect(has).toBe(true);
      // New entries on the copy are chained on from the restored head.
      await app.query(
        `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground) VALUES ($1, $2, 'NURSE', $3, 'READ_PERSON', 'person', 'GROUP_MEMBERSHIP')`,
        [staffId, organisationId, personId],
      );
      const restoredLog = new AccessLogService(app, db.config);
      await restoredLog.sealPending();
      expect(await restoredLog.verify(1000)).toMatchObject({ ok: true, unsealed: 0, sealed: source.sealed + 1 });
    } finally {
      await app.destroy();
    }
  }, 180_000);
});
