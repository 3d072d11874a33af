import { EntityManager } from 'typeorm';
import { AccessAction, AccessGround } from '../access/access-log.service';
import { accessLogRole, Actor } from '../actor';
import { sql } from '../database/sql';

/**
 * Writes one access-log entry per person, in the caller's transaction, for accesses the access policy's
 * statement does not decide: registering a person, and an answer that reveals a person is registered.
 * The database dates the entry (occurred_at defaults to its clock).
 */
export async function logPersonAccess(
  tx: EntityManager,
  actor: Actor,
  personIds: readonly string[],
  what: { action: AccessAction; entity: string; ground: AccessGround },
): Promise<void> {
  await sql(
    tx,
    `INSERT INTO access_log (staff_id, organisation_id, unit_id, role, person_id, action, entity, ground, client_address)
     SELECT $1, $2, $3, $4, p.id, $6, $7, $8, $9 FROM unnest($5::uuid[]) AS p(id)`,
    [
      actor.staffId,
      actor.organisationId,
      actor.unitId,
      accessLogRole(actor),
      [...personIds],
      what.action,
      what.entity,
      what.ground,
      actor.clientAddress ?? null,
    ],
  );
}
