import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import {
  CareEpisodeService,
  createDataSource,
  openDatabase,
  OrganisationKind,
  Principal,
  Profession,
  ProposalService,
  roleIsPrivileged,
  runMigrations,
} from '../../libs/domain/src';
import { ConfigError, loadConfig } from '../../libs/infrastructure/src';
import { APP_ROLE, databaseUrl } from '../support/env';
import { Fixtures } from '../support/fixtures';
import { startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const PRODUCTION = {
  NODE_ENV: 'production',
  TOKEN_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_LOG_KEY: randomBytes(32).toString('base64url'),
  ACCESS_LOG_CHECKPOINT_FILE: '/tmp/samverka-database-role-checkpoints',
};

/** The application role (DATABASE_URL, what the API and the worker use) cannot switch off what the database refuses. */
describe('the application role', () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
  });

  it('is no superuser, owns nothing and may create nothing', async () => {
    const [role] = await db.dataSource.query(
      `SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(role).toEqual({
      rolname: APP_ROLE,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolbypassrls: false,
      rolreplication: false,
      owned: 0,
    });
    expect(await roleIsPrivileged(db.dataSource)).toBe(false);
    await expect(db.dataSource.query(`CREATE TABLE intruder (id int)`)).rejects.toThrow(
      /permission denied for schema public/,
    );
    await expect(
      db.dataSource.query(`CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'`),
    ).rejects.toThrow(/permission denied for schema public/);
  });

  it('cannot switch a trigger off, nor alter or drop a table', async () => {
    await expect(db.dataSource.query(`ALTER TABLE care_episode DISABLE TRIGGER care_episode_guard`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(db.dataSource.query(`ALTER TABLE access_log DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(db.dataSource.query(`ALTER TABLE person ADD COLUMN intruder int`)).rejects.toThrow(/must be owner/);
    await expect(db.dataSource.query(`DROP TABLE access_log_anchor`)).rejects.toThrow(/must be owner/);
    await expect(
      db.dataSource.query(
        `CREATE OR REPLACE FUNCTION access_log_clock() RETURNS timestamptz LANGUAGE sql AS 'SELECT now()'`,
      ),
    ).rejects.toThrow(/must be owner|permission denied/);
  });

  it('cannot change session_replication_role', async () => {
    await expect(db.dataSource.query(`SET session_replication_role = replica`)).rejects.toThrow(
      /permission denied to set parameter "session_replication_role"/,
    );
  });

  it('cannot update, delete or truncate the access log, nor write its anchor or head', async () => {
    await db.dataSource.query(
      `INSERT INTO access_log (staff_id, organisation_id, role, person_id, action, entity, ground) VALUES ($1, $1, 'NURSE', $1, 'READ_PERSON', 'person', 'GROUP_MEMBERSHIP')`,
      ['11111111-1111-4111-8111-111111111111'],
    );
    await expect(db.dataSource.query(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(
      /permission denied for table access_log/,
    );
    await expect(db.dataSource.query(`DELETE FROM access_log`)).rejects.toThrow(
      /permission denied for table access_log/,
    );
    await expect(db.dataSource.query(`TRUNCATE access_log`)).rejects.toThrow(/permission denied for table access_log/);
    await expect(db.dataSource.query(`DELETE FROM access_log_anchor`)).rejects.toThrow(/permission denied/);
    await expect(db.dataSource.query(`UPDATE access_log_head SET chain_seq = 0`)).rejects.toThrow(/permission denied/);
    await expect(db.dataSource.query(`DELETE FROM migrations`)).rejects.toThrow(/permission denied/);
  });

  it("the issue: cannot discharge an episode with another episode's proposal by switching the guards off", async () => {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const m = await f.staff(municipality, Profession.SOCIAL_WORKER);
    const r = await f.staff(psychiatry, Profession.PSYCHIATRIST);
    const episodes = [];
    for (let i = 0; i < 2; i++) {
      const person = await f.person(m);
      await f.collaboration.addMember(person.id, {
        staffId: r.staff.id,
        role: 'psychiatrist',
        votingRepresentative: true,
      });
      episodes.push(await worker.get(CareEpisodeService).open(r.actor, person.id, { kind: 'PSYCHIATRY' as never }));
    }
    const others = await worker.get(ProposalService).open(r.actor, {
      personId: episodes[1].personId,
      type: 'DISCHARGE' as never,
      title: 't',
      rationale: 'r',
      deadline: new Date(Date.now() + 3_600_000),
      episodeId: episodes[1].id,
    });
    await db.dataSource.transaction(async (tx) => {
      await expect(tx.query(`SET LOCAL session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    });
    await expect(
      db.dataSource.query(
        `UPDATE care_episode SET status = 'DISCHARGED', ended_at = now(), discharge_decision_id = $2 WHERE id = $1`,
        [episodes[0].id, others.id],
      ),
    ).rejects.toThrow(/no approved, unused, unexpired decision/);
    const [row] = await db.dataSource.query(`SELECT status FROM care_episode WHERE id = $1`, [episodes[0].id]);
    expect(row.status).toBe('ACTIVE');
  });

  it('keeps its grants, and no more, when migrations run again (tables of later migrations included)', async () => {
    await db.ownerQuery(`CREATE TABLE later_migration_table (id int PRIMARY KEY)`);
    const owner = createDataSource({ DATABASE_URL: db.ownerUrl, DATABASE_POOL_SIZE: 1 });
    await owner.initialize();
    try {
      await runMigrations(owner, db.ownerUrl, { appRole: APP_ROLE });
    } finally {
      await owner.destroy();
    }
    await db.dataSource.query(`INSERT INTO later_migration_table VALUES (1)`);
    expect(await db.dataSource.query(`SELECT id FROM later_migration_table`)).toEqual([{ id: 1 }]);
    await expect(db.dataSource.query(`UPDATE access_log SET action = 'X'`)).rejects.toThrow(/permission denied/);
    await expect(db.dataSource.query(`SELECT seal_access_log_keyed(1, $1)`, [Buffer.alloc(32)])).resolves.toBeDefined();
  });

  it('takes the owner role from DATABASE_OWNER_URL; else the local owner, or DATABASE_URL itself when only that is set', () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_URL: 'postgres://samverka_app@127.0.0.1:5432/samverka',
      DATABASE_OWNER_URL: 'postgres://samverka_owner@127.0.0.1:5432/samverka',
    });
    expect(loadConfig({ DATABASE_URL: db.url }).DATABASE_OWNER_URL).toBe(db.url);
    expect(loadConfig({ DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl }).DATABASE_OWNER_URL).toBe(db.ownerUrl);
    expect(() => loadConfig({ DATABASE_OWNER_URL: 'mysql://x/y' })).toThrow(
      /^Invalid configuration: DATABASE_OWNER_URL must be a postgres:\/\/ URL/,
    );
  });

  it('in production, start-up refuses a DATABASE_URL that is a superuser or the owner (one line naming DATABASE_URL)', async () => {
    for (const url of [db.ownerUrl, databaseUrl(db.name)]) {
      const config = loadConfig({ ...PRODUCTION, DATABASE_URL: url, DATABASE_OWNER_URL: db.ownerUrl });
      const refused = await openDatabase(config, { migrate: false }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(
        /^Invalid configuration: DATABASE_URL connects as a superuser or the owner of the database objects[^\n]*$/,
      );
    }
    const app = await openDatabase(
      loadConfig({ ...PRODUCTION, DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl }),
      { migrate: true },
    );
    await app.destroy();
  });
});
