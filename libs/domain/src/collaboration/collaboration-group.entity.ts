import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The collaboration group (samverkansgrupp) around one person: social services, addiction care, psychiatry. */
@Entity('collaboration_group')
export class CollaborationGroup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** The designated coordinator; must be an active member. */
  @Column({ name: 'coordinator_staff_id', type: 'uuid', nullable: true })
  coordinatorStaffId: string | null;

  /** Bumped on every membership change; open proposals remember the value they were opened under. */
  @Column({ name: 'membership_version', type: 'int', default: 1 })
  membershipVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
