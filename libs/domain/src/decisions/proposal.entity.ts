import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EndingReason } from '../episodes/episode.enums';
import { ProposalCloseReason, ProposalStatus, ProposalType } from './decision.enums';

/** A joint care decision the collaboration group votes on. */
@Entity('proposal')
export class Proposal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  type: ProposalType;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  rationale: string;

  @Column({ name: 'proposed_by', type: 'uuid' })
  proposedBy: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ type: 'timestamptz' })
  deadline: Date;

  /** For DISCHARGE: the care episode it would end. */
  @Column({ name: 'episode_id', type: 'uuid', nullable: true })
  episodeId: string | null;

  /** The group's membership version when the proposal opened. */
  @Column({ name: 'membership_version', type: 'int' })
  membershipVersion: number;

  @Column({ type: 'text' })
  status: ProposalStatus;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** Why it closed, as a code (each client words it). */
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason: ProposalCloseReason | null;

  /** For EPISODE_ENDED: why the episode ended. */
  @Column({ name: 'close_ending_reason', type: 'text', nullable: true })
  closeEndingReason: EndingReason | null;

  /** For WITHDRAWN: the withdrawer's own words (may name the person: the plan's data). */
  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason: string | null;

  /** An approved DISCHARGE may be used until then, once. */
  @Column({ name: 'approval_valid_until', type: 'timestamptz', nullable: true })
  approvalValidUntil: Date | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
