import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { InterventionStatus, SipPlanContent, SipPlanStatus } from './sip-plan.content';

/** The plan's lifecycle: which status may follow which. */
const TRANSITIONS: Record<SipPlanStatus, SipPlanStatus[]> = {
  [SipPlanStatus.DRAFT]: [SipPlanStatus.ACTIVE, SipPlanStatus.CLOSED],
  [SipPlanStatus.ACTIVE]: [SipPlanStatus.UNDER_REVISION, SipPlanStatus.CLOSED],
  [SipPlanStatus.UNDER_REVISION]: [SipPlanStatus.ACTIVE, SipPlanStatus.CLOSED],
  [SipPlanStatus.CLOSED]: [],
};

export function assertTransition(from: SipPlanStatus, to: SipPlanStatus): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw DomainError.invalidState(`A plan that is ${from} cannot become ${to}`);
  }
}

/** The content of an ACTIVE plan is fixed: the person approved it. Change it by starting a revision. */
export function assertContentEditable(status: SipPlanStatus): void {
  if (status !== SipPlanStatus.DRAFT && status !== SipPlanStatus.UNDER_REVISION) {
    throw DomainError.invalidState(`A plan that is ${status} cannot be edited; start a revision first`);
  }
}

/** What the law (and regional guidance) requires before a plan can be in force. */
export function assertReadyToActivate(plan: SipPlanContent, today: string): void {
  if (!plan.consentGivenAt)
    throw DomainError.invalid(
      'consentGivenAt',
      'The person must consent to the plan before it is activated',
      DomainErrorReason.CONSENT_REQUIRED_TO_ACTIVATE,
    );
  if (plan.consentValidUntil && plan.consentValidUntil < today) {
    throw DomainError.invalid(
      'consentValidUntil',
      "The person's consent has expired; record a new consent",
      DomainErrorReason.CONSENT_EXPIRED,
    );
  }
  if (!plan.overallResponsibilityPrincipal) {
    throw DomainError.invalid(
      'overallResponsibilityPrincipal',
      'A plan in force must name the principal with overall responsibility',
      DomainErrorReason.OVERALL_RESPONSIBILITY_REQUIRED,
    );
  }
  if (plan.interventions.filter((i) => i.status !== InterventionStatus.CANCELLED).length === 0) {
    throw DomainError.invalid(
      'interventions',
      'A plan in force must contain at least one intervention',
      DomainErrorReason.INTERVENTION_REQUIRED,
    );
  }
  if (!plan.followUpOn)
    throw DomainError.invalid(
      'followUpOn',
      'A plan in force must have a follow-up date',
      DomainErrorReason.FOLLOW_UP_REQUIRED,
    );
}

const LABELS: Record<keyof SipPlanContent, string> = {
  status: 'status',
  overallResponsibilityPrincipal: 'overall responsibility',
  overallResponsibilityOrganisationId: 'organisation with overall responsibility',
  personGoals: "the person's own goals",
  needs: 'needs',
  interventions: 'interventions',
  otherMeasures: 'measures by others',
  participants: 'participants',
  consentGivenAt: 'consent given',
  consentValidUntil: 'consent valid until',
  followUpOn: 'follow-up date',
};

type Identified = { id: string; description: string };

function diffItems(label: string, before: Identified[], after: Identified[]): string[] {
  const lines: string[] = [];
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  for (const item of after) {
    const prior = old.get(item.id);
    if (!prior) lines.push(`${label}: added "${item.description}"`);
    else if (JSON.stringify(prior) !== JSON.stringify(item)) {
      const fields = Object.keys(item).filter(
        (k) => JSON.stringify((prior as never)[k]) !== JSON.stringify((item as never)[k]),
      );
      lines.push(`${label}: changed "${item.description}" (${fields.join(', ')})`);
    }
  }
  for (const item of before) if (!now.has(item.id)) lines.push(`${label}: removed "${item.description}"`);
  return lines;
}

/** Human-readable lines that say what a revision changed; empty when nothing did. */
export function describeChanges(before: SipPlanContent | null, after: SipPlanContent): string[] {
  if (!before) return ['plan created'];
  const lines: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof SipPlanContent)[]) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (key === 'needs' || key === 'interventions' || key === 'otherMeasures') {
      lines.push(...diffItems(LABELS[key], a as Identified[], b as Identified[]));
    } else if (key === 'participants' || key === 'personGoals') {
      lines.push(`${LABELS[key]} changed`);
    } else {
      lines.push(`${LABELS[key]}: ${a ?? '(none)'} → ${b ?? '(none)'}`);
    }
  }
  return lines;
}

export function contentOf(plan: SipPlanContent): SipPlanContent {
  return {
    status: plan.status,
    overallResponsibilityPrincipal: plan.overallResponsibilityPrincipal,
    overallResponsibilityOrganisationId: plan.overallResponsibilityOrganisationId,
    personGoals: plan.personGoals,
    needs: plan.needs,
    interventions: plan.interventions,
    otherMeasures: plan.otherMeasures,
    participants: plan.participants,
    consentGivenAt: plan.consentGivenAt,
    consentValidUntil: plan.consentValidUntil,
    followUpOn: plan.followUpOn,
  };
}

/**
 * The versions at which the plan was adopted (fastställd): the plan is in force from them on and was not in the
 * version before (a draft or a revision adopted). These are the versions the person approves.
 */
export function adoptingVersions(
  versions: ReadonlyArray<{ version: number; snapshot: { status: SipPlanStatus } }>,
): Set<number> {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  return new Set(
    ordered
      .filter(
        (v, i) =>
          v.snapshot.status === SipPlanStatus.ACTIVE && ordered[i - 1]?.snapshot.status !== SipPlanStatus.ACTIVE,
      )
      .map((v) => v.version),
  );
}
