import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ContactKind } from './contact-kind';

/** One contact with the person, so that a new worker can read up instead of asking the person again. */
@Entity('contact_entry')
export class ContactEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  kind: ContactKind;

  /** Where it happened; hidden like an address when the person has a protected identity. */
  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text' })
  summary: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
