import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { today } from '../time';
import { Notification } from './notification.entity';

@Injectable()
export class NotificationService {
  constructor(private readonly db: DataSource) {}

  /** Notifies every current member of the person's collaboration group, in the caller's transaction. */
  async notifyGroup(tx: EntityManager, personId: string, kind: string, message: string): Promise<void> {
    await tx.query(
      `INSERT INTO notification (recipient_staff_id, person_id, kind, message)
       SELECT DISTINCT m.staff_id, g.person_id, $2, $3
         FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
        WHERE g.person_id = $1 AND ${activeOn('m', '$4')}`,
      [personId, kind, message, today()],
    );
  }

  forRecipient(staffId: string, limit = 50): Promise<Notification[]> {
    return this.db.getRepository(Notification).find({ where: { recipientStaffId: staffId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async markRead(staffId: string, ids: string[]): Promise<void> {
    await this.db.query(`UPDATE notification SET read_at = now() WHERE recipient_staff_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL`, [staffId, ids]);
  }
}
