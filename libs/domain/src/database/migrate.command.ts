// `npm run migrate` (and, in the image, `node dist/libs/domain/src/database/migrate.command.js`): brings the
// database to the current schema as a step of its own, before the API and the worker start (which then may run
// with MIGRATE_ON_START=false). With DATABASE_ADMIN_URL (a superuser; local installations and CI, never needed in
// production) it first creates the owner and application roles and the database if missing. Then, as the owner
// (DATABASE_OWNER_URL, a direct connection), it applies pending migrations under the advisory lock and gives the
// application role (DATABASE_URL) its grants. Exits 0 when the schema is current, 1 with one line otherwise.
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@samverka/infrastructure';
import { migrateDatabase, StartupError } from './startup';
import { ensureRolesAndDatabase, roleOf } from './roles';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const ownerUrl = config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
  const adminUrl = process.env.DATABASE_ADMIN_URL;
  if (adminUrl) {
    const { created } = await ensureRolesAndDatabase(adminUrl, ownerUrl, config.DATABASE_URL);
    say(
      `migrate: roles ${roleOf(ownerUrl)} and ${roleOf(config.DATABASE_URL)} present${created ? '; created the database' : ''}`,
    );
  }
  const applied = await migrateDatabase(config);
  say(
    applied.length
      ? `migrate: applied ${applied.length} migration(s): ${applied.join(', ')}`
      : 'migrate: the schema is current',
  );
  if (ownerUrl !== config.DATABASE_URL) say(`migrate: grants for ${roleOf(config.DATABASE_URL)} applied`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof StartupError
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message.split('\n')[0]}`
        : String(error);
  console.error(`migrate: ${message}`);
  process.exit(1);
});
