import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export enum AccessAction {
  READ_PERSON = 'READ_PERSON',
  READ_OVERVIEW = 'READ_OVERVIEW',
  READ_CASELOAD = 'READ_CASELOAD',
  READ_PLAN = 'READ_PLAN',
  WRITE = 'WRITE',
}

/**
 * Retention of the access log. Entries are written by the access policy (libs/auth), in the
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
}
