import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VoteChoice } from './decision.enums';

/** One vote or vote change, kept for ever (who, organisation, profession, when, comment). */
@Entity('vote_event')
export class VoteEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  profession: string;

  @Column({ type: 'text' })
  choice: VoteChoice;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'cast_at', type: 'timestamptz' })
  castAt: Date;
}
