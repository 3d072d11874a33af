import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** How the person approved an adopted version of their plan. */
export enum PlanApprovalMethod {
  /** The person signed the printed plan. */
  PAPER_SIGNATURE = 'PAPER_SIGNATURE',
  /** The person said so, with a named witness present. */
  VERBAL_WITH_WITNESS = 'VERBAL_WITH_WITNESS',
}

/**
 * The person's approval of one adopted version of their SIP plan: how, recorded by whom and when (by the
 * database's clock, never back-dated). Append-only: one per version, never changed or removed.
 */
@Entity('sip_plan_approval')
export class SipPlanApproval {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  method: PlanApprovalMethod;

  @Column({ name: 'witness_name', type: 'text', nullable: true })
  witnessName: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
