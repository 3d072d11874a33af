import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Principal } from '../organisation/organisation.enums';
import { EndingReason, EpisodeKind, EpisodeStatus } from './episode.enums';

/** One principal's involvement with a person (ACTIVE → DISCHARGED or ENDED). */
@Entity('care_episode')
export class CareEpisode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** The organisation holding the episode; only its staff may ask to discharge it. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  principal: Principal;

  @Column({ type: 'text' })
  kind: EpisodeKind;

  @Column({ type: 'text' })
  status: EpisodeStatus;

  @Column({ name: 'started_on', type: 'date' })
  startedOn: string;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** The approved DISCHARGE decision that was consumed; the database refuses DISCHARGED without one. */
  @Column({ name: 'discharge_decision_id', type: 'uuid', nullable: true })
  dischargeDecisionId: string | null;

  @Column({ name: 'ending_reason', type: 'text', nullable: true })
  endingReason: EndingReason | null;

  @Column({ name: 'ending_evidence', type: 'text', nullable: true })
  endingEvidence: string | null;

  @Column({ name: 'ended_by', type: 'uuid', nullable: true })
  endedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
