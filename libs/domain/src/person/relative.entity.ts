import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A relative (anhörig): offered involvement, with their own need for support noted. */
@Entity('relative')
export class Relative {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  name: string;

  /** e.g. mother, sibling, adult child, friend. */
  @Column({ type: 'text' })
  relation: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** The person agrees that this relative takes part in SIP meetings. */
  @Column({ name: 'may_participate', type: 'boolean', default: false })
  mayParticipate: boolean;

  @Column({ name: 'support_needs', type: 'text', nullable: true })
  supportNeeds: string | null;

  /** The day the relative stopped being involved (the day it was recorded); null while involved. */
  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn: string | null;
}
