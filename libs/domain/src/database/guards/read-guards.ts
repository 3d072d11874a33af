import { sql, SqlRunner } from '../sql';

export interface GuardFunction {
  name: string;
  definition: string;
}

export interface GuardTrigger {
  name: string;
  table: string;
  functionName: string;
  definition: string;
}

/**
 * The functions the migrations created (an extension's are left out) and every trigger, as PostgreSQL prints them
 * (pg_get_functiondef, pg_get_triggerdef), the triggers as CREATE OR REPLACE so that applying them again is harmless.
 */
export async function readGuards(db: SqlRunner): Promise<{ functions: GuardFunction[]; triggers: GuardTrigger[] }> {
  const functions = await sql<GuardFunction>(
    db,
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
  const triggers = await sql<GuardTrigger>(
    db,
    `SELECT t.tgname AS name, c.relname AS "table", p.proname AS "functionName",
            regexp_replace(pg_get_triggerdef(t.oid), '^CREATE TRIGGER', 'CREATE OR REPLACE TRIGGER') AS definition
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
      ORDER BY c.relname, t.tgname`,
  );
  return { functions, triggers };
}
