// The database's functions and triggers as they are now, in one place: the rules the database holds (closed
// proposals do not change, a discharge needs its decision, the access log is append-only and chained...), the
// triggers that record reminders and webhook events, and the access log's sealing. The migrations that created
// them stay as history; 1765410500000-guards-from-source applies these (CREATE OR REPLACE), and
// test/integration/database-guards.spec.ts fails when a migrated database holds anything else.
// To change a guard: edit it here and add a migration that calls applyGuards (or applies the one function).
import { sql, SqlRunner } from '../sql';
import * as accessLog from './access-log.guards';
import * as collaboration from './collaboration.guards';
import * as consent from './consent.guards';
import * as decisions from './decisions.guards';
import * as episodes from './episodes.guards';
import * as person from './person.guards';
import * as reminders from './reminders.guards';
import * as shared from './shared.guards';
import * as sipPlan from './sip-plan.guards';
import * as webhooks from './webhooks.guards';

const FEATURES = [shared, accessLog, collaboration, consent, decisions, episodes, person, reminders, sipPlan, webhooks];

export const GUARD_FUNCTIONS: readonly string[] = FEATURES.flatMap((f) => f.FUNCTIONS);
export const GUARD_TRIGGERS: readonly string[] = FEATURES.flatMap((f) => f.TRIGGERS);

/**
 * Creates or replaces every function, then every trigger (owner, grants and SECURITY DEFINER are kept by
 * CREATE OR REPLACE). Function bodies are not checked against the tables here: when a migration replays this
 * on a new database, a later migration may not have added the column a current body reads yet.
 */
export async function applyGuards(db: SqlRunner): Promise<void> {
  await sql(db, `SET LOCAL check_function_bodies = off`);
  for (const definition of GUARD_FUNCTIONS) await sql(db, definition);
  await sql(db, `SET LOCAL check_function_bodies = on`);
  for (const definition of GUARD_TRIGGERS) await sql(db, definition);
}

export { readGuards } from './read-guards';
