import { Client } from 'pg';
import { sql, SqlRunner } from './sql';

/**
 * Two PostgreSQL roles: the owner owns every database object and runs the migrations; the application
 * role (DATABASE_URL, the API and the worker) owns nothing and holds only the grants below. Not being
 * the owner, it cannot alter or drop tables or switch triggers off, and not being a superuser it cannot
 * set session_replication_role: every "the database refuses" guard holds against the application.
 */

/**
 * Tables the application may read and append to, never change: the access log, the reviews of its entries, the persons'
 * approvals of their plans, and the attempts to deliver a webhook.
 */
const APPEND_ONLY = ['access_log', 'access_log_review', 'sip_plan_approval', 'webhook_attempt'];
const READ_ONLY = ['access_log_anchor', 'access_log_head', 'migrations'];
/** What the application does to the access log beyond INSERT: only through these owner functions. */
const OWNER_FUNCTIONS = ['seal_access_log_keyed(int, bytea)', 'purge_access_log(int, bytea)'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The role name in a postgres:// URL. */
export function roleOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).username) || 'postgres';
}

/**
 * Gives the application role exactly its grants. Run as the owner after every migration run (idempotent),
 * so tables added by later migrations are covered; default privileges cover them in between.
 */
export async function applyGrants(db: SqlRunner, appRole: string): Promise<void> {
  const app = ident(appRole);
  const existing = async (names: string[]) => {
    const rows = await sql<{ name: string }>(
      db,
      `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)`,
      [names],
    );
    return rows.map((r) => `public.${ident(r.name)}`);
  };
  await sql(db, `GRANT USAGE ON SCHEMA public TO ${app}`);
  await sql(db, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
  await sql(db, `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
  await sql(db, `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
  await sql(db, `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
  const appendOnly = await existing(APPEND_ONLY);
  if (appendOnly.length)
    await sql(db, `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${appendOnly.join(', ')} FROM ${app}`);
  const readOnly = await existing(READ_ONLY);
  if (readOnly.length)
    await sql(db, `REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${readOnly.join(', ')} FROM ${app}`);
  for (const fn of OWNER_FUNCTIONS) {
    const [{ exists }] = await sql<{ exists: boolean }>(db, `SELECT to_regprocedure($1) IS NOT NULL AS exists`, [fn]);
    if (!exists) continue;
    await sql(db, `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    await sql(db, `GRANT EXECUTE ON FUNCTION ${fn} TO ${app}`);
  }
}

/** Creates a role unless it exists; safe when several processes (or parallel test runs) race to do it. Never drops one. */
async function createRole(admin: Client, role: string, password: string | null): Promise<void> {
  const [exists] = await sql<{ exists: 1 }>(admin, `SELECT 1 AS exists FROM pg_roles WHERE rolname = $1`, [role]);
  if (exists) return;
  const withPassword = password === null ? '' : ` PASSWORD ${admin.escapeLiteral(password)}`;
  await sql(
    admin,
    `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION${withPassword}`,
  ).catch((error: { code?: string }) => {
    // 42710 duplicate_object, 23505 unique_violation: another process created it meanwhile.
    if (error.code !== '42710' && error.code !== '23505') throw error;
  });
}

/**
 * As a superuser (adminUrl): creates the owner and application roles named in the two URLs if missing, and
 * the database owned by the owner; an existing database and its objects are handed to the owner (a database
 * made before there were two roles). Local development, CI and tests only; production provisions roles itself.
 */
export async function ensureRolesAndDatabase(
  adminUrl: string,
  ownerUrl: string,
  appUrl: string,
): Promise<{ created: boolean }> {
  const owner = roleOf(ownerUrl);
  const app = roleOf(appUrl);
  const name = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
  const url = new URL(adminUrl);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString(), application_name: 'samverka-roles' });
  await admin.connect();
  let created = false;
  try {
    const password = (u: string) => (new URL(u).password ? decodeURIComponent(new URL(u).password) : null);
    await createRole(admin, owner, password(ownerUrl));
    if (app !== owner) await createRole(admin, app, password(appUrl));
    const { rows } = await admin.query<{ owner: string }>(
      `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (!rows.length) {
      await sql(admin, `CREATE DATABASE ${ident(name)} OWNER ${ident(owner)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
      created = true;
    } else if (rows[0].owner !== owner) {
      await sql(admin, `ALTER DATABASE ${ident(name)} OWNER TO ${ident(owner)}`);
    }
  } finally {
    await admin.end();
  }
  if (!created) await adoptObjects(adminUrl, name, owner);
  return { created };
}

/** Hands every table, view, sequence, function and type in the public schema to the owner (idempotent). */
async function adoptObjects(adminUrl: string, database: string, owner: string): Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const client = new Client({ connectionString: url.toString(), application_name: 'samverka-roles' });
  await client.connect();
  try {
    await sql(
      client,
      `DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT format('ALTER %s public.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.relname, ${client.escapeLiteral(owner)}) AS s
                   FROM pg_class c
                  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                    AND c.relowner <> ${client.escapeLiteral(owner)}::regrole
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
        LOOP EXECUTE r.s; END LOOP;
        FOR r IN SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, ${client.escapeLiteral(owner)}) AS s
                   FROM pg_proc p
                  WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> ${client.escapeLiteral(owner)}::regrole
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        LOOP EXECUTE r.s; END LOOP;
        FOR r IN SELECT format('ALTER TYPE public.%I OWNER TO %I', t.typname, ${client.escapeLiteral(owner)}) AS s
                   FROM pg_type t
                  WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd') AND t.typowner <> ${client.escapeLiteral(owner)}::regrole
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
        LOOP EXECUTE r.s; END LOOP;
      END $$`,
    );
  } finally {
    await client.end();
  }
}

/**
 * Whether the role of this connection could switch the database's guards off: a superuser, a role that
 * bypasses row security, or one that owns (or is a member of the owner of) the database or its tables.
 */
export async function roleIsPrivileged(db: SqlRunner): Promise<boolean> {
  const [row] = await sql<{ privileged: boolean }>(
    db,
    `SELECT r.rolsuper OR r.rolbypassrls
            OR EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = current_database() AND pg_has_role(current_user, d.datdba, 'USAGE'))
            OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND pg_has_role(current_user, c.relowner, 'USAGE'))
            AS privileged
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  return row.privileged;
}
