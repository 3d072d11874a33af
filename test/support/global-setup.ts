import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource, ensureRolesAndDatabase, runMigrations } from '../../libs/domain/src';
import { APP_ROLE, databaseUrl, TEST_ADMIN_URL, templateDatabase } from './env';

/**
 * Migrates one template database as the owner role; every test file then clones it (CREATE DATABASE ... TEMPLATE),
 * so files run in parallel, and connects to its clone as the application role, as the API does.
 */
export default async function globalSetup(): Promise<void> {
  const TEMPLATE_DATABASE = templateDatabase();
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(
      `Tests need PostgreSQL at ${TEST_ADMIN_URL} (${error.message}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  });
  try {
    // Databases of earlier runs whose process is gone (a run that was killed) are removed.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^samverka_test_[0-9]+_'`,
    );
    for (const { datname } of rows) {
      if (!isAlive(Number(datname.split('_')[2])))
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(TEMPLATE_DATABASE, 'owner');
  await ensureRolesAndDatabase(TEST_ADMIN_URL, url, databaseUrl(TEMPLATE_DATABASE, 'app'));
  const dataSource = createDataSource({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, url, { appRole: APP_ROLE });
  } finally {
    await dataSource.destroy();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
