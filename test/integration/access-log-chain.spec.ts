import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AccessLogService } from '../../libs/domain/src';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const run = promisify(execFile);
const STAFF = '11111111-1111-4111-8111-111111111111';
const PERSON = '22222222-2222-4222-8222-222222222222';

/** Appends n entries the way the access policy does (one INSERT, no chaining on the request path). */
async function append(db: TestDatabase, n: number, ageDays = 0): Promise<void> {
  await db.dataSource.query(
    `INSERT INTO access_log (occurred_at, staff_id, organisation_id, role, person_id, action, entity, ground, client_address)
     SELECT now() - make_interval(days => $3) + make_interval(secs => i), $1, $1, 'NURSE', $2, 'READ_OVERVIEW', 'patientOverview', 'GROUP_MEMBERSHIP', '127.0.0.1'
       FROM generate_series(1, $4) AS i`,
    [STAFF, PERSON, ageDays, n],
  );
}

/** What an intruder with the database owner's rights does: switch the guard off, change rows, switch it on. */
async function tamper(db: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  await db.dataSource.transaction(async (tx) => {
    await tx.query(`ALTER TABLE access_log DISABLE TRIGGER USER`);
    await tx.query(sql, params);
    await tx.query(`ALTER TABLE access_log ENABLE TRIGGER USER`);
  });
}

describe('the access log hash chain (tamper evidence)', () => {
  let db: TestDatabase;
  let log: AccessLogService;

  beforeEach(async () => {
    db = await createTestDatabase();
    log = new AccessLogService(db.dataSource);
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
  });

  it('refuses changes and deletions through the database itself', async () => {
    await expect(db.dataSource.query(`UPDATE access_log SET action = 'X' WHERE chain_seq = 3`)).rejects.toThrow(/immutable/);
    await expect(db.dataSource.query(`UPDATE access_log SET hash = NULL, chain_seq = NULL WHERE chain_seq = 3`)).rejects.toThrow(/immutable/);
    await expect(db.dataSource.query(`DELETE FROM access_log WHERE chain_seq = 3`)).rejects.toThrow(/retention/);
    await expect(db.dataSource.query(`TRUNCATE access_log`)).rejects.toThrow(/immutable/);
  });

  it('detects an edited entry', async () => {
    await tamper(db, `UPDATE access_log SET staff_id = $1 WHERE chain_seq = 17`, ['33333333-3333-4333-8333-333333333333']);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chainSeq: '17', problem: expect.stringMatching(/changed after sealing/) })]);
  });

  it('detects a deleted entry in the middle', async () => {
    await tamper(db, `DELETE FROM access_log WHERE chain_seq = 20`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ chainSeq: '21', problem: expect.stringMatching(/missing/) });
  });

  it('detects a deleted tail and a deleted head', async () => {
    await tamper(db, `DELETE FROM access_log WHERE chain_seq >= 39`);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ chainSeq: '40', problem: expect.stringMatching(/end of the chain/) })]);
    await tamper(db, `DELETE FROM access_log WHERE chain_seq = 1`);
    expect((await log.verify()).problems.map((p) => p.chainSeq)).toContain('2');
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

  it('keeps a verifiable chain through retention, which removes only an anchored prefix', async () => {
    await tamper(db, `TRUNCATE access_log`);
    await db.dataSource.query(`DELETE FROM access_log_head`);
    await append(db, 10, 6 * 365);
    await append(db, 10, 1);
    await log.sealPending();
    expect(await log.purgeOlderThan(5 * 365)).toBe(10);
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, sealed: 10 });
    const [anchor] = await db.dataSource.query(`SELECT chain_seq::int AS seq FROM access_log_anchor`);
    expect(anchor.seq).toBe(10);
    // Entries newer than the anchor stay protected.
    await expect(db.dataSource.query(`DELETE FROM access_log WHERE chain_seq = 11`)).rejects.toThrow(/retention/);
  });

  it('refuses an anchor that would let young entries be deleted (the log cannot be erased by anchoring its head)', async () => {
    const anchor = (seq: number, purgedBefore = 'now()') =>
      db.dataSource.query(`INSERT INTO access_log_anchor (chain_seq, hash, purged_before) SELECT chain_seq, hash, ${purgedBefore} FROM access_log WHERE chain_seq = $1`, [seq]);
    await expect(anchor(40)).rejects.toThrow(/kept at least five years/);
    await expect(anchor(40, `now() - interval '6 years'`)).rejects.toThrow(/kept at least five years/);
    await expect(db.dataSource.query(`INSERT INTO access_log_anchor (chain_seq, hash, purged_before) VALUES (40, '\\x00', now() - interval '6 years')`)).rejects.toThrow(/its hash/);
    await expect(db.dataSource.query(`DELETE FROM access_log WHERE chain_seq <= 40`)).rejects.toThrow(/retention/);
    expect(await log.verify()).toMatchObject({ ok: true, sealed: 40 });
  });

  it('npm run audit:verify exits 0 on an intact chain and 1 on a tampered one', async () => {
    const env = { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test' };
    const ok = await run('node', ['scripts/run-ts.js', 'scripts/audit/verify.ts'], { env });
    expect(ok.stdout).toMatch(/RESULT audit-verify ok/);
    await tamper(db, `UPDATE access_log SET action = 'WRITE' WHERE chain_seq = 5`);
    const failed = await run('node', ['scripts/run-ts.js', 'scripts/audit/verify.ts'], { env }).catch((e: { code: number; stdout: string }) => e);
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringMatching(/TAMPERED chain_seq=5/) });
  });
});
