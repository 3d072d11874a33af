import { Principal } from '../organisation/organisation.enums';

export enum SipPlanStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  UNDER_REVISION = 'UNDER_REVISION',
  CLOSED = 'CLOSED',
}

export enum NeedArea {
  HOUSING = 'HOUSING',
  MENTAL_HEALTH = 'MENTAL_HEALTH',
  SUBSTANCE_USE = 'SUBSTANCE_USE',
  PHYSICAL_HEALTH = 'PHYSICAL_HEALTH',
  INCOME = 'INCOME',
  DAILY_LIVING = 'DAILY_LIVING',
  SOCIAL_NETWORK = 'SOCIAL_NETWORK',
  OCCUPATION = 'OCCUPATION',
  /** Exposure to violence, in particular in close relationships. */
  SAFETY = 'SAFETY',
  CHILDREN_AND_FAMILY = 'CHILDREN_AND_FAMILY',
  OTHER = 'OTHER',
}

export enum InterventionStatus {
  PLANNED = 'PLANNED',
  ONGOING = 'ONGOING',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum ParticipantKind {
  PERSON = 'PERSON',
  STAFF = 'STAFF',
  RELATIVE = 'RELATIVE',
  OTHER = 'OTHER',
}

export interface PlanNeed {
  id: string;
  area: NeedArea;
  description: string;
}

/** An intervention (insats) and the principal that answers for it. */
export interface PlanIntervention {
  id: string;
  needId: string | null;
  description: string;
  responsiblePrincipal: Principal;
  responsibleOrganisationId: string;
  responsibleUnitId: string | null;
  status: InterventionStatus;
}

/** What someone who is not a principal will do (an NGO, a housing provider). */
export interface PlanOtherMeasure {
  id: string;
  organisationId: string | null;
  actorName: string;
  description: string;
}

/** Principals are summoned (kallade, must attend); other actors are invited (inbjudna). */
export interface PlanParticipant {
  kind: ParticipantKind;
  staffId: string | null;
  relativeId: string | null;
  name: string | null;
  summoned: boolean;
}

/** Everything a revision can change; a version stores a snapshot of exactly this. */
export interface SipPlanContent {
  status: SipPlanStatus;
  overallResponsibilityPrincipal: Principal | null;
  overallResponsibilityOrganisationId: string | null;
  personGoals: string;
  needs: PlanNeed[];
  interventions: PlanIntervention[];
  otherMeasures: PlanOtherMeasure[];
  participants: PlanParticipant[];
  consentGivenAt: string | null;
  consentValidUntil: string | null;
  followUpOn: string | null;
}
