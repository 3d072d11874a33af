import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Principal } from '../organisation/organisation.enums';
import { VoteChoice } from './decision.enums';

/** A member of a proposal's electorate (fixed at opening) and their current vote. */
@Entity('proposal_elector')
export class ProposalElector {
  @PrimaryColumn({ name: 'proposal_id', type: 'uuid' })
  proposalId: string;

  @PrimaryColumn({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ type: 'text' })
  principal: Principal;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  profession: string;

  @Column({ type: 'text', nullable: true })
  choice: VoteChoice | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'voted_at', type: 'timestamptz', nullable: true })
  votedAt: Date | null;
}
