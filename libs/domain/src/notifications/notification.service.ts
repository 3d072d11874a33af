import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig, redisClient } from '@samverka/infrastructure';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { today } from '../time';
import { NotificationKind, NotificationParams } from './notification-kind';
import { Notification } from './notification.entity';
import { sql, sqlCount } from '../database/sql';

/** How a staff member wants reminders: in-app always; e-mail and SMS on or off; quiet hours for non-urgent ones. */
export interface NotificationPreferences {
  email: boolean;
  sms: boolean;
  locale: 'sv' | 'en';
  /** Swedish local time, HH:MM; both or neither. */
  quietFrom: string | null;
  quietTo: string | null;
}

/**
 * Notifies every current member of the person's collaboration group, in the caller's transaction; returns
 * the recipients. A function as well as a method, for services built without the inbox (the group's own).
 */
export async function notifyGroup(
  tx: EntityManager,
  personId: string,
  kind: NotificationKind,
  params: NotificationParams = {},
): Promise<string[]> {
  const rows = await sql<{ recipient_staff_id: string }>(
    tx,
    `${notifyGroupSql(1)} RETURNING recipient_staff_id`,
    notifyGroupParams(personId, kind, params),
  );
  return rows.map((r) => r.recipient_staff_id);
}

/**
 * notifyGroup's statement with its parameters (notifyGroupParams) numbered from $first, for a change that
 * sends its notification in its own statement, as a data-modifying WITH query (one round trip, not two).
 */
export function notifyGroupSql(first: number): string {
  const [person, kind, params, day] = [0, 1, 2, 3].map((i) => `$${first + i}`);
  return `INSERT INTO notification (recipient_staff_id, person_id, kind, params)
     SELECT DISTINCT m.staff_id, g.person_id, ${kind}, ${params}::jsonb
       FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
      WHERE g.person_id = ${person} AND ${activeOn('m', day)}`;
}

export function notifyGroupParams(
  personId: string,
  kind: NotificationKind,
  params: NotificationParams = {},
): unknown[] {
  return [personId, kind, JSON.stringify(params), today()];
}

/**
 * The in-app inbox. New notifications are announced through Redis (the recipient's staff id only) so
 * that every API instance can push them to its subscribers; the content is read from PostgreSQL.
 */
@Injectable()
export class NotificationService implements OnApplicationShutdown {
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly listeners = new Set<(staffId: string) => void>();

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get channel(): string {
    return `${this.config.QUEUE_PREFIX}:notifications`;
  }

  /** Notifies every current member of the person's collaboration group, in the caller's transaction. */
  notifyGroup(
    tx: EntityManager,
    personId: string,
    kind: NotificationKind,
    params: NotificationParams = {},
  ): Promise<string[]> {
    return notifyGroup(tx, personId, kind, params);
  }

  /** Notifies the coordinator of the person's collaboration group, in the caller's transaction; returns the recipients. */
  async notifyCoordinator(
    tx: EntityManager,
    personId: string,
    kind: NotificationKind,
    params: NotificationParams = {},
  ): Promise<string[]> {
    const rows = await sql<{ recipient_staff_id: string }>(
      tx,
      `INSERT INTO notification (recipient_staff_id, person_id, kind, params)
       SELECT g.coordinator_staff_id, g.person_id, $2, $3::jsonb FROM collaboration_group g
        WHERE g.person_id = $1 AND g.coordinator_staff_id IS NOT NULL
       RETURNING recipient_staff_id`,
      [personId, kind, JSON.stringify(params)],
    );
    return rows.map((r) => r.recipient_staff_id);
  }

  /** Tells subscribers (in any process) that these staff members have something new; call after commit. */
  async announce(staffIds: string[]): Promise<void> {
    if (staffIds.length === 0) return;
    this.publisher ??= redisClient(this.config, { maxRetriesPerRequest: 3 });
    const pipeline = this.publisher.pipeline();
    for (const staffId of new Set(staffIds)) pipeline.publish(this.channel, staffId);
    await pipeline.exec();
  }

  /** Calls `listener` with the staff id of every announcement; returns the function that stops it. */
  async subscribe(listener: (staffId: string) => void): Promise<() => void> {
    if (!this.subscriber) {
      this.subscriber = redisClient(this.config, { maxRetriesPerRequest: null });
      this.subscriber.on('message', (_channel: string, staffId: string) => this.listeners.forEach((l) => l(staffId)));
      await this.subscriber.subscribe(this.channel);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  forRecipient(staffId: string, limit = 50, unreadOnly = false): Promise<Notification[]> {
    return this.db.getRepository(Notification).find({
      where: unreadOnly ? { recipientStaffId: staffId, readAt: IsNull() } : { recipientStaffId: staffId },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  /** Unread notifications per person, so that the caller can count only those about persons it may show. */
  async unreadByPerson(staffId: string): Promise<Map<string, number>> {
    const rows = await sql<{ person_id: string; n: number }>(
      this.db,
      `SELECT person_id, count(*)::int AS n FROM notification WHERE recipient_staff_id = $1 AND read_at IS NULL GROUP BY person_id`,
      [staffId],
    );
    return new Map(rows.map((r) => [r.person_id, r.n]));
  }

  async markRead(staffId: string, ids: string[] | 'all'): Promise<number> {
    return ids === 'all'
      ? sqlCount(this.db, `UPDATE notification SET read_at = now() WHERE recipient_staff_id = $1 AND read_at IS NULL`, [
          staffId,
        ])
      : sqlCount(
          this.db,
          `UPDATE notification SET read_at = now() WHERE recipient_staff_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL`,
          [staffId, ids],
        );
  }

  async preferences(staffId: string): Promise<NotificationPreferences> {
    const [row] = await sql<{
      email: boolean;
      sms: boolean;
      locale: NotificationPreferences['locale'];
      quiet_from: string | null;
      quiet_to: string | null;
    }>(
      this.db,
      `SELECT email, sms, locale, to_char(quiet_from, 'HH24:MI') AS quiet_from, to_char(quiet_to, 'HH24:MI') AS quiet_to FROM notification_preference WHERE staff_id = $1`,
      [staffId],
    );
    return row
      ? { email: row.email, sms: row.sms, locale: row.locale, quietFrom: row.quiet_from, quietTo: row.quiet_to }
      : { email: true, sms: false, locale: 'sv', quietFrom: null, quietTo: null };
  }

  async setPreferences(staffId: string, prefs: NotificationPreferences): Promise<NotificationPreferences> {
    if ((prefs.quietFrom === null) !== (prefs.quietTo === null)) {
      throw DomainError.invalid(
        prefs.quietFrom === null ? 'quietFrom' : 'quietTo',
        'Quiet hours need both a start and an end',
        DomainErrorReason.QUIET_HOURS_INCOMPLETE,
      );
    }
    await sql(
      this.db,
      `INSERT INTO notification_preference (staff_id, email, sms, locale, quiet_from, quiet_to) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (staff_id) DO UPDATE SET email = $2, sms = $3, locale = $4, quiet_from = $5, quiet_to = $6`,
      [staffId, prefs.email, prefs.sms, prefs.locale, prefs.quietFrom, prefs.quietTo],
    );
    return this.preferences(staffId);
  }

  onApplicationShutdown(): void {
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }
}
