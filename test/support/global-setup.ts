import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../../libs/domain/src';
import { databaseUrl, TEMPLATE_DATABASE, TEST_ADMIN_URL } from './env';

/** Migrates one template database; every test file then clones it (CREATE DATABASE ... TEMPLATE), so files run in parallel. */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(`Tests need PostgreSQL at ${TEST_ADMIN_URL} (${error.message}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(TEMPLATE_DATABASE);
  const dataSource = createDataSource({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, url);
  } finally {
    await dataSource.destroy();
  }
}
