import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('act_team_member')
export class ActTeamMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ type: 'text' })
  role: string;

  /** Share of a full-time post in the team, for caseload ratios (DACTS H1, H7). */
  @Column({
    type: 'numeric',
    precision: 3,
    scale: 2,
    default: 1,
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  fte: number;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** When a membership ended on its last day was ended: it stops counting then, not at midnight (see period.ts). */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
