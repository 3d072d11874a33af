import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ProposalStatus } from '../decisions/decision.enums';
import { EpisodeStatus } from '../episodes/episode.enums';
import { DischargeRefusal, DischargeRequestStatus } from './discharge.enums';

/** A request to discharge an episode; the worker decides it, exactly once. */
@Entity('discharge_request')
export class DischargeRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'episode_id', type: 'uuid' })
  episodeId: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'text' })
  status: DischargeRequestStatus;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_id', type: 'uuid', nullable: true })
  decisionId: string | null;

  /** Why it was rejected, as a code (each client words it). */
  @Column({ type: 'text', nullable: true })
  reason: DischargeRefusal | null;

  /** For EPISODE_NOT_ACTIVE: the status the episode had. */
  @Column({ name: 'reason_episode_status', type: 'text', nullable: true })
  reasonEpisodeStatus: EpisodeStatus | null;

  /** For PROPOSAL_NOT_APPROVED: how the latest discharge proposal closed. */
  @Column({ name: 'reason_proposal_status', type: 'text', nullable: true })
  reasonProposalStatus: ProposalStatus | null;
}
