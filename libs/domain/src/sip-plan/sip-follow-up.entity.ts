import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A follow-up (uppföljning) of a SIP plan recorded as held: on the day it was recorded, never back-dated. */
@Entity('sip_plan_follow_up')
export class SipFollowUp {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  /** The Swedish calendar day it was recorded (the database holds it to the recording time). */
  @Column({ name: 'held_on', type: 'date' })
  heldOn: string;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** What the follow-up found, in the staff's words. */
  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'next_follow_up_on', type: 'date' })
  nextFollowUpOn: string;
}
