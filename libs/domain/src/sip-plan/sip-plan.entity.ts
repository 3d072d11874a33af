import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Principal } from '../organisation/organisation.enums';
import { PlanIntervention, PlanNeed, PlanOtherMeasure, PlanParticipant, SipPlanStatus } from './sip-plan.content';

/**
 * The coordinated individual plan. The plan is one document that is revised as a whole,
 * so its parts are stored with it (jsonb) and every revision is a snapshot in sip_plan_version.
 */
@Entity('sip_plan')
export class SipPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  status: SipPlanStatus;

  @Column({ name: 'overall_responsibility_principal', type: 'text', nullable: true })
  overallResponsibilityPrincipal: Principal | null;

  @Column({ name: 'overall_responsibility_organisation_id', type: 'uuid', nullable: true })
  overallResponsibilityOrganisationId: string | null;

  /** The person's own goals, in their own words. */
  @Column({ name: 'person_goals', type: 'text', default: '' })
  personGoals: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  needs: PlanNeed[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  interventions: PlanIntervention[];

  @Column({ name: 'other_measures', type: 'jsonb', default: () => "'[]'" })
  otherMeasures: PlanOtherMeasure[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  participants: PlanParticipant[];

  @Column({ name: 'consent_given_at', type: 'date', nullable: true })
  consentGivenAt: string | null;

  @Column({ name: 'consent_valid_until', type: 'date', nullable: true })
  consentValidUntil: string | null;

  @Column({ name: 'follow_up_on', type: 'date', nullable: true })
  followUpOn: string | null;

  /** The number of the latest revision; writers must name it (optimistic concurrency). */
  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
