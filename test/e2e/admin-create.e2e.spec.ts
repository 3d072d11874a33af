import { spawn } from 'node:child_process';
import path from 'node:path';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const PASSWORD = 'a long first password 7';

/** `npm run admin:create -- <args>` against this file's database, with `stdin` as its standard input. */
function adminCreate(
  db: TestDatabase,
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'scripts/admin/create.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: db.url,
          DATABASE_OWNER_URL: db.ownerUrl,
          REDIS_URL: db.config.REDIS_URL,
          ...env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

/** The very first administrator of a new installation, from the command line. */
describe('npm run admin:create', () => {
  let db: TestDatabase;
  let api: TestApi;
  const args = [
    '--organisation',
    'Område hemlöshet',
    '--kind',
    'CITY_HOMELESSNESS_UNIT',
    '--principal',
    'MUNICIPALITY',
    '--given-name',
    'Nils',
    '--family-name',
    'Forsberg',
    '--username',
    'first.admin',
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('refuses a missing or short password and creates nobody', async () => {
    const none = await adminCreate(db, args, '');
    expect([none.code, none.output]).toEqual([64, expect.stringContaining('no password')]);
    const short = await adminCreate(db, args, 'short\n');
    expect([short.code, short.output]).toEqual([64, expect.stringContaining('at least 12 characters')]);
    expect(short.output).not.toContain('short\n');
    expect(await db.dataSource.query(`SELECT 1 FROM staff_member WHERE administrator`)).toEqual([]);
  });

  it('creates the administrator and their organisation with the password from standard input, never printing it; they can sign in', async () => {
    const run = await adminCreate(db, args, `${PASSWORD}\n`);
    expect(run.code).toBe(0);
    expect(run.output).toContain('created administrator');
    expect(run.output).not.toContain(PASSWORD);
    const [row] = await db.dataSource.query(
      `SELECT s.administrator, s.active, o.name, o.principal FROM staff_member s JOIN organisation o ON o.id = s.organisation_id WHERE s.username = 'first.admin'`,
    );
    expect(row).toEqual({ administrator: true, active: true, name: 'Område hemlöshet', principal: 'MUNICIPALITY' });
    const token = await api.login('first.admin', PASSWORD);
    const me = await api.gql<{ me: { administrator: boolean } }>(`{ me { administrator } }`, {}, token);
    expect(me.data?.me.administrator).toBe(true);
  });

  it('refuses a second "first" administrator, even with the password in the environment', async () => {
    const again = await adminCreate(db, [...args.slice(0, -1), 'second.admin'], '', {
      SAMVERKA_ADMIN_PASSWORD: PASSWORD,
    });
    expect([again.code, again.output]).toEqual([1, expect.stringContaining('already has an administrator')]);
    expect(again.output).not.toContain(PASSWORD);
    expect(await db.dataSource.query(`SELECT 1 FROM staff_member WHERE username = 'second.admin'`)).toEqual([]);
  });
});
