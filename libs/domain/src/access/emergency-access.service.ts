import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { DomainError } from '../errors/domain-error';
import { NoticeKind } from '../notifications/notification-kind';
import { NotificationService } from '../notifications/notification.service';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { EmergencyAccess } from './emergency-access.entity';
import { sql } from '../database/sql';

/** The notification kind the coordinator receives; the message names no person data (ids only). */
export const EMERGENCY_ACCESS_NOTIFICATION = NoticeKind.EMERGENCY_ACCESS;
export const MIN_EMERGENCY_REASON_LENGTH = 10;

@Injectable()
export class EmergencyAccessService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Opens emergency access and notifies the person's coordinator in the same transaction (into the
   * notification inbox; the message holds no personal data). The person must exist; whether the actor
   * may open it at all (not an auditor) is the access policy's decision, made before this runs.
   */
  async open(actor: Actor, personId: string, reason: string): Promise<EmergencyAccess> {
    const stated = reason.trim();
    if (stated.length < MIN_EMERGENCY_REASON_LENGTH) {
      throw DomainError.invalid(
        'reason',
        `State the reason for emergency access (at least ${MIN_EMERGENCY_REASON_LENGTH} characters)`,
      );
    }
    let recipients: string[] = [];
    const opened = await this.db.transaction(async (tx) => {
      const [exists] = await sql<object>(tx, `SELECT 1 FROM person WHERE id = $1`, [personId]);
      if (!exists) throw DomainError.notFound();
      const [row] = await sql<{ id: string }>(
        tx,
        `INSERT INTO emergency_access (person_id, staff_id, organisation_id, reason, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING id`,
        [personId, actor.staffId, actor.organisationId, stated, this.config.EMERGENCY_ACCESS_HOURS],
      );
      recipients = await this.notifications.notifyCoordinator(tx, personId, EMERGENCY_ACCESS_NOTIFICATION);
      return tx.getRepository(EmergencyAccess).findOneByOrFail({ id: row.id });
    });
    // After commit, so the coordinator's live inbox reads the notification that is there.
    await this.notifications.announce(recipients);
    return opened;
  }

  /** For review: unreviewed first, newest first. */
  async list(page: PageRequest, filter: { unreviewedOnly?: boolean } = {}): Promise<Page<EmergencyAccess>> {
    const after = decodeCursor(page.after);
    const qb = this.db
      .getRepository(EmergencyAccess)
      .createQueryBuilder('e')
      .orderBy('e.opened_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(page.first + 1);
    if (filter.unreviewedOnly) qb.andWhere('e.reviewed_at IS NULL');
    if (after && (Number.isNaN(Date.parse(after.sortKey)) || !/^[0-9a-f-]{36}$/i.test(after.id)))
      throw DomainError.invalid('after', 'The cursor is not one this API issued');
    if (after) qb.andWhere('(e.opened_at, e.id) < (:at::timestamptz, :id)', { at: after.sortKey, id: after.id });
    return toPage(await qb.getMany(), page, (e) => encodeCursor(e.openedAt.toISOString(), e.id));
  }

  async review(actor: Actor, id: string, note: string | null): Promise<EmergencyAccess> {
    const rows = await sql<{ id: string }>(
      this.db,
      `UPDATE emergency_access SET reviewed_at = now(), reviewed_by = $2, review_note = $3 WHERE id = $1 AND reviewed_at IS NULL RETURNING id`,
      [id, actor.staffId, note?.trim() || null],
    );
    const access = await this.db.getRepository(EmergencyAccess).findOneBy({ id });
    if (!access) throw DomainError.notFound('emergency access');
    if (rows.length === 0) throw DomainError.invalidState('The emergency access is already reviewed');
    return access;
  }
}
