import { Principal } from '../organisation/organisation.enums';
import { ProposalStatus, VoteChoice } from './decision.enums';

export interface Ballot {
  principal: Principal;
  choice: VoteChoice | null;
}

export interface ProposalState {
  ballots: Ballot[];
  deadline: Date;
  now: Date;
  /** The group's membership changed since the proposal opened. */
  membershipChanged: boolean;
}

/**
 * The consensus rule of the collaboration group, in one place:
 * - APPROVED only when every member of the electorate has voted AGREE, before the deadline;
 * - when the deadline passes: REJECTED if anyone disagrees, otherwise EXPIRED (not everyone voted);
 * - VOIDED when the membership changed while it was open;
 * - otherwise still OPEN (votes may change until it closes).
 * The database's proposal_guard trigger holds the APPROVED part once more, for writes from any path.
 */
export function evaluateProposal(state: ProposalState): ProposalStatus {
  if (state.ballots.length === 0) throw new Error('A proposal without an electorate cannot be evaluated');
  if (state.membershipChanged) return ProposalStatus.VOIDED;
  const pastDeadline = state.now.getTime() > state.deadline.getTime();
  if (!pastDeadline) {
    return state.ballots.every((b) => b.choice === VoteChoice.AGREE) ? ProposalStatus.APPROVED : ProposalStatus.OPEN;
  }
  return state.ballots.some((b) => b.choice === VoteChoice.DISAGREE) ? ProposalStatus.REJECTED : ProposalStatus.EXPIRED;
}

/** A proposal can only open when both principals have a voting representative in the group. */
export function missingPrincipals(electorate: Array<{ principal: Principal }>): Principal[] {
  return [Principal.MUNICIPALITY, Principal.REGION].filter((p) => !electorate.some((e) => e.principal === p));
}
