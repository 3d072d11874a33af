import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SipPlanContent } from './sip-plan.content';

/** An immutable revision of a plan: who, when, what changed, and the plan as it then stood. */
@Entity('sip_plan_version')
export class SipPlanVersion {
  @PrimaryColumn({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ name: 'changed_by', type: 'uuid' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt: Date;

  /** Human-readable lines, e.g. "follow-up date: 2026-12-01 → 2027-01-15". */
  @Column({ type: 'text', array: true })
  changes: string[];

  @Column({ type: 'jsonb' })
  snapshot: SipPlanContent;
}
