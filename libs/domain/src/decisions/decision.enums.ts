export enum ProposalType {
  /** One principal closes its involvement: psychiatry's "avsluta aktualitet", addiction care ending treatment, social services closing the case. */
  DISCHARGE = 'DISCHARGE',
  CHANGE_OVERALL_RESPONSIBILITY = 'CHANGE_OVERALL_RESPONSIBILITY',
  HOUSING_PLACEMENT = 'HOUSING_PLACEMENT',
  /** Application for compulsory care (LVM for addiction, LPT for psychiatry). */
  COMPULSORY_CARE_APPLICATION = 'COMPULSORY_CARE_APPLICATION',
  PLAN_REVISION = 'PLAN_REVISION',
  OTHER = 'OTHER',
}

export enum ProposalStatus {
  OPEN = 'OPEN',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
  /** The group's membership changed while the proposal was open: propose again. */
  VOIDED = 'VOIDED',
  /** The proposer (or their organisation) took it back before the group decided; the reason is kept. */
  WITHDRAWN = 'WITHDRAWN',
}

export enum VoteChoice {
  AGREE = 'AGREE',
  DISAGREE = 'DISAGREE',
}

/** Why a proposal closed: stored and sent as this code, worded by each client. */
export enum ProposalCloseReason {
  /** Every member of the electorate agreed before the deadline. */
  ALL_AGREED = 'ALL_AGREED',
  /** The deadline passed with at least one member disagreeing. */
  DISAGREED_AT_DEADLINE = 'DISAGREED_AT_DEADLINE',
  /** The deadline passed before every member had voted. */
  NOT_ALL_VOTED = 'NOT_ALL_VOTED',
  /** The group's membership changed while it was open: propose again. */
  MEMBERSHIP_CHANGED = 'MEMBERSHIP_CHANGED',
  /** The care episode it would end ended otherwise (see the ending reason kept with it). */
  EPISODE_ENDED = 'EPISODE_ENDED',
  /** The proposer or their organisation took it back (their own words kept as the withdrawal reason). */
  WITHDRAWN = 'WITHDRAWN',
}
