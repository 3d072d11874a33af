import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationKind, NotificationParams } from './notification-kind';

/** A message to one staff member about one person, shown in their inbox. Holds no personal data beyond ids. */
@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'recipient_staff_id', type: 'uuid' })
  recipientStaffId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  /** What the kind is worded with; each client words it in its language. */
  @Column({ type: 'jsonb' })
  params: NotificationParams;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
