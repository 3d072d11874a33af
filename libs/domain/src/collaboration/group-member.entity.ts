import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Principal } from '../organisation/organisation.enums';

/** A staff member's place in a collaboration group for a period. */
@Entity('group_member')
export class GroupMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  /** Role in this group in plain words, e.g. "case manager", "treating psychiatrist". */
  @Column({ type: 'text' })
  role: string;

  /** The principal the member represents in this group. */
  @Column({ type: 'text' })
  principal: Principal;

  /** Votes on the group's joint decisions on behalf of the principal. */
  @Column({ name: 'voting_representative', type: 'boolean', default: false })
  votingRepresentative: boolean;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last day of membership; null while open-ended. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** When a membership ended on its last day was ended: it stops counting then, not at midnight (see period.ts). */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
