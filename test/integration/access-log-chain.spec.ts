import { execFile } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessLogService, dataSourceOptions, ensureRolesAndDatabase, runMigrations } from '../../libs/domain/src';
import { loadConfig } from '../../libs/infrastructure/src';
import { MIGRATIONS } from '../../libs/domain/src/database/migrations';
import { APP_ROLE, databaseUrl, TEST_ADMIN_URL, testDatabasePrefix } from '../support/env';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const run = promisify(execFile);
const STAFF = '11111111-1111-4111-8111-111111111111';
const PERSON = '22222222-2222-4222-8222-222222222222';

/** Appends n entries the way the access policy does (one INSERT as the application role), each claiming to be ageDays old. */
async function append(db: TestDatabase, n: number, ageDays = 0): Promise<void> {
  await db.dataSource.query(
    `INSERT INTO access_log (occurred_at, staff_id, organisation_id, role, person_id, action, entity, ground, client_address)
     SELECT now() - make_interval(days => $3) + make_interval(secs => i), $1, $1, 'NURSE', $2, 'READ_OVERVIEW', 'patientOverview', 'GROUP_MEMBERSHIP', '127.0.0.1'
       FROM generate_series(1, $4) AS i`,
    [STAFF, PERSON, ageDays, n],
  );
}

/** What an intruder with the database owner's rights (but not the key) does: switch the guards off, change rows, switch them on. */
async function tamper(db: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  try {
    await owner.query('BEGIN');
    await owner.query(`ALTER TABLE access_log DISABLE TRIGGER USER`);
    await owner.query(`ALTER TABLE access_log_anchor DISABLE TRIGGER USER`);
    await owner.query(sql, params);
    await owner.query(`ALTER TABLE access_log ENABLE TRIGGER USER`);
    await owner.query(`ALTER TABLE access_log_anchor ENABLE TRIGGER USER`);
    await owner.query('COMMIT');
  } finally {
    await owner.end();
  }
}

/** The database's clock for the log, moved back (a test stand-in for time; only the owner can do it). */
async function logClockYearsAgo(db: TestDatabase, years: number): Promise<void> {
  await db.ownerQuery(`CREATE OR REPLACE FUNCTION access_log_clock() RETURNS timestamptz LANGUAGE sql STABLE SET search_path = pg_catalog
    AS $$ SELECT now() - make_interval(years => ${Number(years)}) $$`);
}

/** Recomputes the chain from `fromSeq` on as an intruder would who lacks the key: HMAC under a guessed key. */
const RECHAIN_WITH_GUESSED_KEY = `
  DO $$ DECLARE r access_log; prev bytea; BEGIN
    FOR r IN SELECT * FROM access_log WHERE chain_seq >= 17 ORDER BY chain_seq LOOP
      SELECT hash INTO prev FROM access_log WHERE chain_seq = r.chain_seq - 1;
      UPDATE access_log SET prev_hash = prev, hash = hmac(prev || access_log_content_v1((SELECT e FROM access_log e WHERE e.id = r.id)), 'guessed-key-guessed-key-guessed-key-000000', 'sha256') WHERE id = r.id;
    END LOOP;
    UPDATE access_log_head SET hash = (SELECT hash FROM access_log ORDER BY chain_seq DESC LIMIT 1);
  END $$`;

describe('the access log hash chain (tamper evidence)', () => {
  let db: TestDatabase;
  let log: AccessLogService;

  beforeEach(async () => {
    db = await createTestDatabase();
    log = new AccessLogService(db.dataSource, db.config);
    await append(db, 40);
    await log.sealPending();
  });

  afterEach(async () => {
    await db?.drop();
  });

  it('verifies an untouched chain, including entries sealed in several rounds', async () => {
    await append(db, 5);
    const before = await log.verify();
    expect(before).toMatchObject({ ok: true, sealed: 40, unsealed: 5 });
    await log.sealPending();
    const after = await log.verify();
    expect(after).toMatchObject({ ok: true, sealed: 45, unsealed: 0, headSeq: '45' });
    expect(after.headHash).toMatch(/^[0-9a-f]{64}$/);
    const [entry] = await db.ownerQuery<{ key_version: number }>(
      `SELECT key_version FROM access_log WHERE chain_seq = 45`,
    );
    expect(entry.key_version).toBe(1);
  });

  it('the application role may only append and read; even the owner meets the guards', async () => {
    await expect(db.dataSource.query(`UPDATE access_log SET action = 'X' WHERE chain_seq = 3`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.dataSource.query(`DELETE FROM access_log WHERE chain_seq = 3`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.dataSource.query(`TRUNCATE access_log`)).rejects.toThrow(/permission denied/);
    await expect(db.dataSource.query(`DELETE FROM access_log_head`)).rejects.toThrow(/permission denied/);
    await expect(db.ownerQuery(`UPDATE access_log SET action = 'X' WHERE chain_seq = 3`)).rejects.toThrow(/immutable/);
    await expect(
      db.ownerQuery(`UPDATE access_log SET hash = NULL, chain_seq = NULL WHERE chain_seq = 3`),
    ).rejects.toThrow(/immutable/);
    await expect(db.ownerQuery(`DELETE FROM access_log WHERE chain_seq = 3`)).rejects.toThrow(/retention/);
    await expect(db.ownerQuery(`TRUNCATE access_log`)).rejects.toThrow(/immutable/);
  });

  it('dates an entry by the database clock and starts it unsealed, whatever the writer supplied', async () => {
    await db.dataSource.query(
      `INSERT INTO access_log (occurred_at, staff_id, organisation_id, role, person_id, action, entity, ground, chain_seq, prev_hash, hash, sealed_at, key_version)
       VALUES (now() - interval '6 years', $1, $1, 'NURSE', $2, 'READ_OVERVIEW', 'patientOverview', 'GROUP_MEMBERSHIP', 41, '\\x00', '\\x00', now() - interval '6 years', 1)`,
      [STAFF, PERSON],
    );
    const [entry] = await db.dataSource.query(
      `SELECT now() - occurred_at < interval '1 minute' AS fresh, chain_seq, hash IS NULL AS unhashed, sealed_at FROM access_log ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ fresh: true, chain_seq: null, unhashed: true, sealed_at: null });
  });

  it('detects an edited entry', async () => {
    await tamper(db, `UPDATE access_log SET staff_id = $1 WHERE chain_seq = 17`, [
      '33333333-3333-4333-8333-333333333333',
    ]);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        chainSeq: '17',
        code: 'ENTRY_CHANGED',
        problem: expect.stringMatching(/changed after sealing/),
      }),
    ]);
  });

  it('detects a rewritten chain: without the key the owner cannot recompute it', async () => {
    await tamper(db, `UPDATE access_log SET staff_id = $1 WHERE chain_seq = 17`, [
      '33333333-3333-4333-8333-333333333333',
    ]);
    await tamper(db, RECHAIN_WITH_GUESSED_KEY);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({
      chainSeq: '17',
      problem: expect.stringMatching(/changed after sealing/),
    });
    expect(report.problems.map((p) => p.problem)).toContainEqual(
      expect.stringMatching(/checkpointed .* hash changed \(the chain was rewritten\)/),
    );
  });

  it('detects a chain recomputed with the old unkeyed hash (through the checkpoints)', async () => {
    await tamper(
      db,
      `DO $$ DECLARE r access_log; prev bytea := '\\x'; BEGIN
         FOR r IN SELECT * FROM access_log ORDER BY chain_seq LOOP
           UPDATE access_log SET key_version = NULL, sealed_at = NULL, prev_hash = prev, hash = sha256(prev || access_log_content(r, r.chain_seq)) WHERE id = r.id;
           SELECT hash INTO prev FROM access_log WHERE id = r.id;
         END LOOP;
         UPDATE access_log_head SET hash = prev;
       END $$`,
    );
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ chainSeq: '40', problem: expect.stringMatching(/the chain was rewritten/) }),
    ]);
  });

  it('detects a deleted entry in the middle', async () => {
    await tamper(db, `DELETE FROM access_log WHERE chain_seq = 20`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ chainSeq: '21', problem: expect.stringMatching(/missing/) });
  });

  it('detects a deleted tail and a deleted head', async () => {
    await tamper(db, `DELETE FROM access_log WHERE chain_seq >= 39`);
    expect((await log.verify()).problems).toContainEqual(
      expect.objectContaining({ chainSeq: '40', problem: expect.stringMatching(/end of the chain/) }),
    );
    await tamper(db, `DELETE FROM access_log WHERE chain_seq = 1`);
    expect((await log.verify()).problems.map((p) => p.chainSeq)).toContain('2');
  });

  it('detects truncation even when the owner also moves the head in the database (the checkpoint outside it)', async () => {
    await tamper(db, `DELETE FROM access_log WHERE chain_seq >= 31`);
    await tamper(
      db,
      `UPDATE access_log_head SET chain_seq = 30, hash = (SELECT hash FROM access_log WHERE chain_seq = 30)`,
    );
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        chainSeq: '40',
        code: 'ENDS_BEFORE_CHECKPOINT',
        params: { at: expect.any(String) },
        problem: expect.stringMatching(/the chain ends before the head checkpointed/),
      }),
    ]);
  });

  it('detects a forged checkpoint line', async () => {
    appendFileSync(
      db.config.ACCESS_LOG_CHECKPOINT_FILE!,
      `${JSON.stringify({ database: 'x', seq: '1', hash: '00', at: new Date().toISOString(), mac: '00' })}\n`,
    );
    expect((await log.verify()).problems).toEqual([
      expect.objectContaining({
        code: 'CHECKPOINT_FORGED',
        params: { line: 2 },
        problem: expect.stringMatching(/checkpoint line 2 was altered or forged/),
      }),
    ]);
  });

  it('detects an inserted entry, even one given a plausible place and hash', async () => {
    // Renumber the tail to make room, then insert a forged row chained to its predecessor.
    await tamper(db, `UPDATE access_log SET chain_seq = chain_seq + 1000 WHERE chain_seq > 10`);
    await tamper(db, `UPDATE access_log SET chain_seq = chain_seq - 999 WHERE chain_seq > 1000`);
    await tamper(
      db,
      `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground, chain_seq, prev_hash, hash)
       SELECT $1, $1, 'NURSE', $2, 'READ_OVERVIEW', 'patientOverview', 'GROUP_MEMBERSHIP', 11, p.hash, sha256('forged')
         FROM access_log p WHERE p.chain_seq = 10`,
      [STAFF, PERSON],
    );
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.chainSeq)).toEqual(expect.arrayContaining(['11', '12']));
  });

  it('keeps a verifiable chain through retention, which removes only entries sealed over five years ago', async () => {
    await tamper(db, `TRUNCATE access_log; DELETE FROM access_log_head`);
    rmSync(db.config.ACCESS_LOG_CHECKPOINT_FILE!, { force: true });
    await logClockYearsAgo(db, 6);
    await append(db, 10);
    await log.sealPending();
    await logClockYearsAgo(db, 0);
    await append(db, 10, 10 * 365); // claims to be ten years old: the database dates it today
    await log.sealPending();
    expect(await log.purgeOlderThan(5 * 365)).toBe(10);
    expect(await log.verify()).toMatchObject({ ok: true, sealed: 10 });
    const [anchor] = await db.ownerQuery<{ seq: number }>(`SELECT chain_seq::int AS seq FROM access_log_anchor`);
    expect(anchor.seq).toBe(10);
    expect(await log.purgeOlderThan(5 * 365)).toBe(0);
    // Entries newer than the anchor stay protected, even from the owner.
    await expect(db.ownerQuery(`DELETE FROM access_log WHERE chain_seq = 11`)).rejects.toThrow(/retention/);
  });

  it('the issue: an entry dated six years back cannot anchor retention and erase the log', async () => {
    await append(db, 1, 6 * 365);
    await log.sealPending();
    expect(await log.purgeOlderThan(5 * 365)).toBe(0);
    const anchorOn = (seq: number) =>
      `INSERT INTO access_log_anchor (chain_seq, hash, purged_before, sealed_at) SELECT chain_seq, hash, now() - interval '6 years', sealed_at FROM access_log WHERE chain_seq = ${seq}`;
    await expect(db.dataSource.query(anchorOn(41))).rejects.toThrow(/permission denied/);
    await expect(db.dataSource.query(`DELETE FROM access_log WHERE chain_seq <= 41`)).rejects.toThrow(
      /permission denied/,
    );
    // The owner with the triggers on meets the anchor guard, which judges age by the sealing time.
    await expect(db.ownerQuery(anchorOn(41))).rejects.toThrow(/kept at least five years/);
    await expect(
      db.ownerQuery(
        `INSERT INTO access_log_anchor (chain_seq, hash, purged_before) VALUES (41, '\\x00', now() - interval '6 years')`,
      ),
    ).rejects.toThrow(/its hash/);
    expect(await log.verify()).toMatchObject({ ok: true, sealed: 41 });

    // Done anyway as the owner with the triggers off: the verifier says so.
    await tamper(db, `${anchorOn(41)}; DELETE FROM access_log WHERE chain_seq <= 41`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.problem)).toContainEqual(expect.stringMatching(/a back-dated anchor/));
  });

  it('detects a back-dated anchor made with a faked database clock (the checkpoints are older than the anchored entry)', async () => {
    await logClockYearsAgo(db, 6);
    await append(db, 5);
    await log.sealPending(); // sealed with the key, but "six years ago"
    await logClockYearsAgo(db, 0);
    await db.ownerQuery(
      `INSERT INTO access_log_anchor (chain_seq, hash, purged_before, sealed_at) SELECT chain_seq, hash, now() - interval '6 years', sealed_at FROM access_log WHERE chain_seq = 44`,
    );
    await db.ownerQuery(`DELETE FROM access_log WHERE chain_seq <= 44`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chainSeq: '44', problem: expect.stringMatching(/carries no MAC/) }),
        expect.objectContaining({
          chainSeq: '44',
          problem: expect.stringMatching(/removed entries sealed after .*a back-dated anchor/),
        }),
      ]),
    );
  });

  it('npm run audit:verify exits 0 on an intact chain and 1 on a tampered one', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      ACCESS_LOG_CHECKPOINT_FILE: db.config.ACCESS_LOG_CHECKPOINT_FILE,
      NODE_ENV: 'test',
    };
    const ok = await run('node', ['scripts/run-ts.js', 'scripts/audit/verify.ts'], { env });
    expect(ok.stdout).toMatch(/RESULT audit-verify ok/);
    await tamper(db, `UPDATE access_log SET action = 'WRITE' WHERE chain_seq = 5`);
    const failed = await run('node', ['scripts/run-ts.js', 'scripts/audit/verify.ts'], { env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringMatching(/TAMPERED chain_seq=5/) });
  });
});

describe('entries sealed before the chain was keyed', () => {
  it('still verify, and the keyed chain continues from them', async () => {
    const name = `${testDatabasePrefix()}legacy_${process.pid}`;
    const ownerUrl = databaseUrl(name, 'owner');
    await ensureRolesAndDatabase(TEST_ADMIN_URL, ownerUrl, databaseUrl(name, 'app'));
    const keyedAt = MIGRATIONS.findIndex((m) => m.name === 'KeyedAccessLog1764748800000');
    const migrateTo = async (migrations: typeof MIGRATIONS) => {
      const ds = new DataSource({
        ...dataSourceOptions({ DATABASE_URL: ownerUrl, DATABASE_POOL_SIZE: 1 }),
        migrations,
      });
      await ds.initialize();
      try {
        await runMigrations(ds, ownerUrl, { appRole: APP_ROLE });
      } finally {
        await ds.destroy();
      }
    };
    const owner = new Client({ connectionString: ownerUrl });
    try {
      await migrateTo(MIGRATIONS.slice(0, keyedAt));
      await owner.connect();
      await owner.query(
        `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground)
         SELECT $1, $1, 'NURSE', $2, 'READ_OVERVIEW', 'patientOverview', 'GROUP_MEMBERSHIP' FROM generate_series(1, 5)`,
        [STAFF, PERSON],
      );
      await owner.query(`SELECT seal_access_log(100)`);
      await migrateTo(MIGRATIONS);
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl(name, 'app'),
        DATABASE_OWNER_URL: ownerUrl,
      });
      const app = new DataSource(dataSourceOptions(config));
      await app.initialize();
      try {
        const log = new AccessLogService(app, config);
        await append({ dataSource: app } as TestDatabase, 3);
        await log.sealPending();
        expect(await log.verify()).toMatchObject({ ok: true, sealed: 8, headSeq: '8' });
        const versions = await owner.query(`SELECT key_version FROM access_log ORDER BY chain_seq`);
        expect(versions.rows.map((r) => r.key_version)).toEqual([null, null, null, null, null, 1, 1, 1]);
        // A legacy entry changed afterwards still shows: its hash no longer matches, nor does the first keyed entry's predecessor.
        await owner.query(
          `ALTER TABLE access_log DISABLE TRIGGER USER; UPDATE access_log SET action = 'WRITE' WHERE chain_seq = 2; ALTER TABLE access_log ENABLE TRIGGER USER`,
        );
        expect((await log.verify()).problems).toEqual([
          expect.objectContaining({ chainSeq: '2', problem: expect.stringMatching(/changed after sealing/) }),
        ]);
      } finally {
        await app.destroy();
      }
    } finally {
      await owner.end();
      const admin = new Client({ connectionString: TEST_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
