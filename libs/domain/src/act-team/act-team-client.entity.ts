import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person on the team's shared caseload, with their case manager in the team. */
@Entity('act_team_client')
export class ActTeamClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'case_manager_staff_id', type: 'uuid', nullable: true })
  caseManagerStaffId: string | null;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** When a caseload place ended on its last day was ended: it stops counting then, not at midnight (see period.ts). */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
