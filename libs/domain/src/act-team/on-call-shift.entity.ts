import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who in the team answers the on-call phone between two instants (24/7 crisis cover, DACTS O4). */
@Entity('act_on_call_shift')
export class OnCallShift {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;
}
