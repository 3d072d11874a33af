import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentGivenHow, ConsentPurpose, ConsentScope, SharingLimitation } from './consent.enums';

/**
 * A person's consent (samtycke): to the SIP, or to sharing between the principals. Recorded once and
 * never changed; withdrawal adds when and by whom, and takes effect at once (the database refuses
 * every other change).
 */
@Entity('consent')
export class Consent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  purpose: ConsentPurpose;

  @Column({ type: 'text' })
  scope: ConsentScope;

  /** With NAMED_ORGANISATIONS: the organisations the person agreed to share with. */
  @Column({ name: 'organisation_ids', type: 'uuid', array: true })
  organisationIds: string[];

  @Column({ type: 'jsonb' })
  limitations: SharingLimitation[];

  @Column({ name: 'given_how', type: 'text' })
  givenHow: ConsentGivenHow;

  @Column({ name: 'witness_name', type: 'text', nullable: true })
  witnessName: string | null;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_by', type: 'uuid', nullable: true })
  withdrawnBy: string | null;

  @Column({ name: 'withdrawal_note', type: 'text', nullable: true })
  withdrawalNote: string | null;
}
