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
