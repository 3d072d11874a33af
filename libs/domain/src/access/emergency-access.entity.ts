import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Emergency access (nödåtkomst): a staff member opened a person's data beyond their normal rights,
 * stating why. It lasts a few hours, every read under it is logged with the ground EMERGENCY, the
 * person's coordinator is notified, and an auditor reviews it.
 */
@Entity('emergency_access')
export class EmergencyAccess {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' })
  openedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;
}
