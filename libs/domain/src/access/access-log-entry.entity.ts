import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One access to a person's data (patientdatalagen ch. 4 §3): what was done (action and entity), by
 * whom (staff, organisation, unit, role), when, from where, about which person, and on what ground.
 * Rows are never changed except that the sealer gives each its place in the hash chain, once.
 */
@Entity('access_log')
export class AccessLogEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  /** Stamped by the database on insert, whatever the writer supplied. */
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  /** The staff member's profession, and AUDITOR or ADMINISTRATOR where they act as one. */
  @Column({ type: 'text' })
  role: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** e.g. READ_OVERVIEW, READ_CASELOAD, WRITE. */
  @Column({ type: 'text' })
  action: string;

  /** What was read or written, e.g. patientOverview, recordConsent. */
  @Column({ type: 'text' })
  entity: string;

  @Column({ type: 'text' })
  ground: string;

  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress: string | null;

  @Column({ name: 'chain_seq', type: 'bigint', nullable: true })
  chainSeq: string | null;

  @Column({ name: 'prev_hash', type: 'bytea', nullable: true, select: false })
  prevHash: Buffer | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  hash: Buffer | null;

  /** When the sealer chained it, by the database clock (retention judges age by this, not by occurred_at). */
  @Column({ name: 'sealed_at', type: 'timestamptz', nullable: true })
  sealedAt: Date | null;

  /** 1: HMAC-SHA256 under ACCESS_LOG_KEY; null: sealed before the chain was keyed (plain sha256). */
  @Column({ name: 'key_version', type: 'smallint', nullable: true })
  keyVersion: number | null;
}
