import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One access to a person's data (patientdatalagen ch. 4 §3): what was done, by which user,
 * at which unit, when, about which person. Rows are never changed; the database refuses updates.
 */
@Entity('access_log')
export class AccessLogEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** e.g. READ_OVERVIEW, READ_CASELOAD, UPDATE_PLAN. */
  @Column({ type: 'text' })
  action: string;
}
