import { Injectable } from '@nestjs/common';
import { AccessAction, activeOn, Actor, DomainError, today } from '@samverka/domain';
import { DataSource } from 'typeorm';

/**
 * Who may see a person: a staff member in the person's collaboration group, or in an ACT team that
 * has the person on its caseload, on the day of the request. Every check takes a set of ids and
 * runs one statement, however many persons a page holds.
 */
export const VISIBLE_PERSONS_SQL = `
  SELECT p.id FROM unnest($2::uuid[]) AS p(id)
   WHERE EXISTS (SELECT 1 FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
                  WHERE g.person_id = p.id AND m.staff_id = $1 AND ${activeOn('m', '$3')})
      OR EXISTS (SELECT 1 FROM act_team_client c JOIN act_team_member tm ON tm.team_id = c.team_id
                  WHERE c.person_id = p.id AND tm.staff_id = $1 AND ${activeOn('c', '$3')} AND ${activeOn('tm', '$3')})`;

/**
 * The check and the access-log entry in one statement (one round trip): the persons the staff member
 * may see are returned, and each of them is logged as read or written.
 */
export const AUTHORISE_AND_LOG_SQL = `
  WITH visible AS (${VISIBLE_PERSONS_SQL}),
  logged AS (
    INSERT INTO access_log (staff_id, organisation_id, unit_id, person_id, action)
    SELECT $1, $4, $5, id, $6 FROM visible
  )
  SELECT id FROM visible`;

@Injectable()
export class AccessPolicy {
  constructor(private readonly db: DataSource) {}

  /**
   * The gate in front of every read or write of person data: returns the persons the actor may see
   * and logs the access to each of them (patientdatalagen). One statement for any number of persons.
   */
  async authorise(actor: Actor, personIds: readonly string[], action: AccessAction): Promise<Set<string>> {
    const ids = [...new Set(personIds)].filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db.query(AUTHORISE_AND_LOG_SQL, [actor.staffId, ids, today(), actor.organisationId, actor.unitId, action]);
    return new Set(rows.map((r) => r.id));
  }

  /** As `authorise` for one person; refuses without revealing whether the person exists. */
  async authoriseOne(actor: Actor, personId: string, action: AccessAction, what = 'person'): Promise<void> {
    const visible = await this.authorise(actor, [personId], action);
    if (!visible.has(personId)) throw DomainError.notFound(what);
  }

  async visiblePersonIds(actor: Actor, personIds: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set(personIds)].filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db.query(VISIBLE_PERSONS_SQL, [actor.staffId, ids, today()]);
    return new Set(rows.map((r) => r.id));
  }

}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
