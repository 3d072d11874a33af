import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { applyGrants } from './roles';
import { sql } from './sql';

/** Arbitrary but fixed: every Samverka process that migrates takes this lock, so replicas never race. */
const MIGRATION_LOCK_KEY = 7_746_311_002;

/**
 * Runs pending migrations while holding a session-level advisory lock on a dedicated connection.
 * A second process waits for the first and then finds nothing left to do. Run as the owner role; given
 * the application role, (re)applies its grants afterwards, so tables of new migrations are covered.
 */
export async function runMigrations(
  dataSource: DataSource,
  databaseUrl: string,
  options: { appRole?: string } = {},
): Promise<string[]> {
  const lockClient = new Client({ connectionString: databaseUrl, application_name: 'samverka-migrate' });
  await lockClient.connect();
  try {
    await sql(lockClient, 'SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (options.appRole) await applyGrants(dataSource, options.appRole);
    return applied.map((m) => m.name);
  } finally {
    await sql(lockClient, 'SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}

/** Creates the database named in the URL if it does not exist (connecting to the `postgres` database to do so). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const [exists] = await sql<object>(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists) return false;
    await sql(admin, `CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created meanwhile by another process
    });
    return true;
  } finally {
    await admin.end();
  }
}
