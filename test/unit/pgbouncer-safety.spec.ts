import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

/**
 * The application role's connections (DATABASE_URL) may go through PgBouncer in transaction mode, where each
 * transaction may run on another server connection: nothing may rely on state kept by a session. That is
 * session-level advisory locks, LISTEN, SET (outside a function definition or SET LOCAL), PREPARE, temporary
 * tables, cursors held across transactions. The migrations (owner role, direct connection) are exempt; so is the
 * migration lock, held by a connection of its own to DATABASE_OWNER_URL, and the relay's LISTEN, on DATABASE_DIRECT_URL.
 */
describe('no session state over the pooled application connection (PgBouncer in transaction mode)', () => {
  const files = ['apps/api/src', 'apps/worker/src', 'libs/domain/src', 'libs/auth/src']
    .flatMap((dir) => [...sources(join(root, dir))])
    .map((file) => relative(root, file))
    .filter((file) => !file.startsWith('libs/domain/src/database/migrations/'));

  const rules: Array<{ what: string; pattern: RegExp; allowedIn: string[] }> = [
    {
      what: 'a session-level advisory lock',
      pattern: /pg_(try_)?advisory_lock(_shared)?\s*\(/i,
      allowedIn: ['libs/domain/src/database/migrate.ts'],
    },
    { what: 'LISTEN', pattern: /['"`]\s*LISTEN\s/i, allowedIn: ['apps/worker/src/runtime/outbox-relay.ts'] },
    {
      what: 'a session SET',
      pattern: /['"`]\s*SET\s+(SESSION\s+)?(?!LOCAL\b|TRANSACTION\b)[a-z_.]+\s*(=|TO)\s/i,
      allowedIn: [],
    },
    { what: 'set_config for the session', pattern: /set_config\s*\([^)]*false\s*\)/i, allowedIn: [] },
    { what: 'PREPARE', pattern: /['"`]\s*PREPARE\s/i, allowedIn: [] },
    { what: 'a temporary table', pattern: /CREATE\s+TEMP(ORARY)?\s+TABLE/i, allowedIn: [] },
    { what: 'a held cursor', pattern: /DECLARE\s+\w+\s+.*CURSOR\s+WITH\s+HOLD/i, allowedIn: [] },
    {
      what: 'a named prepared statement (node-pg `name:`)',
      pattern: /\bquery\s*\(\s*\{[^}]*\bname\s*:/s,
      allowedIn: [],
    },
  ];

  it.each(rules)('$what only where a direct connection is used', ({ pattern, allowedIn }) => {
    const offending = files.filter(
      (file) => !allowedIn.includes(file) && pattern.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(offending).toEqual([]);
  });

  it('the relay listens on DATABASE_DIRECT_URL, and the migration lock is taken on the owner connection', () => {
    expect(readFileSync(join(root, 'apps/worker/src/runtime/outbox-relay.ts'), 'utf8')).toMatch(
      /new Client\(\{\s*connectionString:\s*this\.config\.DATABASE_DIRECT_URL\s*\?\?\s*this\.config\.DATABASE_URL/,
    );
    expect(readFileSync(join(root, 'libs/domain/src/database/startup.ts'), 'utf8')).toMatch(
      /runMigrations\(\s*owner,\s*ownerUrl/,
    );
  });

  it('the rules find what they look for (the check itself works)', () => {
    const [lock, listen, set, , prepare] = rules;
    expect(lock.pattern.test(`SELECT pg_advisory_lock($1)`)).toBe(true);
    expect(lock.pattern.test(`SELECT pg_advisory_xact_lock($1)`)).toBe(false);
    expect(listen.pattern.test(`client.query('LISTEN samverka_outbox')`)).toBe(true);
    expect(set.pattern.test(`db.query("SET statement_timeout = 5000")`)).toBe(true);
    expect(set.pattern.test(`db.query('SET LOCAL statement_timeout = 5000')`)).toBe(false);
    expect(set.pattern.test(`db.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE')`)).toBe(false);
    expect(prepare.pattern.test(`db.query('PREPARE q AS SELECT 1')`)).toBe(true);
  });
});
