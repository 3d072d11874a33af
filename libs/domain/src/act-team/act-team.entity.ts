import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An ACT team (Assertive Community Treatment): a standing team shared by city and region. */
@Entity('act_team')
export class ActTeam {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The organisation that hosts the team. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The number that reaches the team's on-call member, day and night. */
  @Column({ name: 'on_call_phone', type: 'text', nullable: true })
  onCallPhone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
