/** Where the tests find PostgreSQL and Redis; the same defaults as the application. */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Each test run has its own template and database names (set once in global setup, inherited by the
 * workers), so that two runs on one machine never drop each other's databases.
 */
export function testRunId(): string {
  process.env.SAMVERKA_TEST_RUN ??= `${process.pid}`;
  return process.env.SAMVERKA_TEST_RUN;
}
export const templateDatabase = () => `samverka_test_${testRunId()}_template`;
export const testDatabasePrefix = () => `samverka_test_${testRunId()}_`;

/** The two roles of libs/domain/src/database/roles.ts: cluster-wide, created once (race-safely), never dropped. */
export const OWNER_ROLE = 'samverka_owner';
export const APP_ROLE = 'samverka_app';

/** The database as the superuser (admin), the owner role (migrations, deliberate tampering) or the application role. */
export function databaseUrl(name: string, role: 'admin' | 'owner' | 'app' = 'admin'): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  if (role !== 'admin') {
    url.username = role === 'owner' ? OWNER_ROLE : APP_ROLE;
    url.password = '';
  }
  return url.toString();
}
