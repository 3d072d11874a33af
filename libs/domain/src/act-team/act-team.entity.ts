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

  /** ACT teams do not drop people: the team is told after this many days without contact with a client. */
  @Column({ name: 'no_contact_alert_days', type: 'int', default: 7 })
  noContactAlertDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
