import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { PlanIntervention, SipPlanStatus } from './sip-plan.content';

/**
 * Follow-up (uppföljning) of a plan in force, without revising it: each principal answers for its own
 * interventions, so only its staff move their status; anyone with write access to the person records
 * that the follow-up was held and sets the next date.
 */
export function mayUpdateInterventionStatus(
  actor: Pick<Actor, 'principal'>,
  intervention: Pick<PlanIntervention, 'responsiblePrincipal'>,
): boolean {
  return actor.principal === intervention.responsiblePrincipal;
}

export function assertMayUpdateInterventionStatus(
  actor: Pick<Actor, 'principal'>,
  intervention: Pick<PlanIntervention, 'responsiblePrincipal'>,
): void {
  if (!mayUpdateInterventionStatus(actor, intervention)) {
    throw DomainError.forbidden(
      "Only staff of the intervention's responsible principal may change its status; the other principal's interventions change in a revision",
    );
  }
}

/** A follow-up is of a plan in force (or one being revised because of it), never of a draft or a closed plan. */
export function assertMayRecordFollowUp(status: SipPlanStatus): void {
  if (status !== SipPlanStatus.ACTIVE && status !== SipPlanStatus.UNDER_REVISION) {
    throw DomainError.invalidState(`A follow-up is held for a plan in force; this plan is ${status}`);
  }
}

/**
 * A follow-up is recorded as held today (the server's Swedish calendar day), never back-dated, and names
 * the next follow-up, which must come after it.
 */
export function assertNextFollowUp(heldOn: string, nextFollowUpOn: string): void {
  if (nextFollowUpOn <= heldOn)
    throw DomainError.invalid('nextFollowUpOn', 'The next follow-up must be after the one held today');
}
