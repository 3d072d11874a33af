import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DischargeRequestStatus } from './episode.enums';

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

  /** Why it was rejected. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
