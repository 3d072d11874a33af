import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';

export enum AccessAction {
  READ_PERSON = 'READ_PERSON',
  READ_OVERVIEW = 'READ_OVERVIEW',
  READ_CASELOAD = 'READ_CASELOAD',
  READ_TIMELINE = 'READ_TIMELINE',
  READ_PLAN = 'READ_PLAN',
  WRITE = 'WRITE',
}

export const INSERT_ACCESS_LOG_SQL = `INSERT INTO access_log (staff_id, organisation_id, unit_id, person_id, action)
  SELECT $1, $2, $3, unnest($4::uuid[]), $5`;

/** Writes the access log: one statement however many persons were read. */
@Injectable()
export class AccessLogService {
  constructor(private readonly db: DataSource) {}

  async record(actor: Actor, personIds: readonly string[], action: AccessAction): Promise<void> {
    if (personIds.length === 0) return;
    await this.db.query(INSERT_ACCESS_LOG_SQL, [actor.staffId, actor.organisationId, actor.unitId, [...new Set(personIds)], action]);
  }

  /** Retention: removes entries older than the configured number of days (at least five years). */
  async purgeOlderThan(days: number): Promise<number> {
    const [, affected] = await this.db.query(`DELETE FROM access_log WHERE occurred_at < now() - make_interval(days => $1)`, [days]);
    return Number(affected ?? 0);
  }

  async forPerson(personId: string, limit = 100): Promise<Array<{ occurredAt: Date; staffId: string; organisationId: string; unitId: string | null; action: string }>> {
    return this.db.query(
      `SELECT occurred_at AS "occurredAt", staff_id AS "staffId", organisation_id AS "organisationId", unit_id AS "unitId", action
         FROM access_log WHERE person_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [personId, limit],
    );
  }
}
