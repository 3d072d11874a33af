export enum DischargeRequestStatus {
  PENDING = 'PENDING',
  EXECUTED = 'EXECUTED',
  REJECTED = 'REJECTED',
}

/** Why a discharge request was refused: stored and sent as this code, worded by each client. */
export enum DischargeRefusal {
  /** The episode had already ended (its status is kept with the refusal). */
  EPISODE_NOT_ACTIVE = 'EPISODE_NOT_ACTIVE',
  /** The group has not agreed: there is no discharge proposal for the episode. */
  NO_DISCHARGE_PROPOSAL = 'NO_DISCHARGE_PROPOSAL',
  /** The group has not agreed yet: the discharge proposal is still open. */
  PROPOSAL_STILL_OPEN = 'PROPOSAL_STILL_OPEN',
  /** The group has not agreed: the latest discharge proposal closed otherwise (its status is kept). */
  PROPOSAL_NOT_APPROVED = 'PROPOSAL_NOT_APPROVED',
  /** The approved decision has already been used. */
  DECISION_USED = 'DECISION_USED',
  /** The approved decision is no longer valid; propose again. */
  DECISION_EXPIRED = 'DECISION_EXPIRED',
}
