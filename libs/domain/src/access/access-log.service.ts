import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export enum AccessAction {
  READ_PERSON = 'READ_PERSON',
  READ_OVERVIEW = 'READ_OVERVIEW',
  READ_CASELOAD = 'READ_CASELOAD',
  READ_TIMELINE = 'READ_TIMELINE',
  READ_PLAN = 'READ_PLAN',
  WRITE = 'WRITE',
}

/**
 * Reads and retention of the access log. Entries are written by the access policy (libs/auth), in the
 * same statement that decides the access, so that no read of a person goes unlogged.
 */
@Injectable()
export class AccessLogService {
  constructor(private readonly db: DataSource) {}

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
