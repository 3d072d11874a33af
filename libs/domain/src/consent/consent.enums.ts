/** What the person consented to: the SIP itself, or sharing information between the organisations. */
export enum ConsentPurpose {
  SIP = 'SIP',
  SHARING = 'SHARING',
}

/** Whom the consent covers: everyone in the collaboration group, or the organisations it names. */
export enum ConsentScope {
  WHOLE_GROUP = 'WHOLE_GROUP',
  NAMED_ORGANISATIONS = 'NAMED_ORGANISATIONS',
}

export enum ConsentGivenHow {
  WRITTEN = 'WRITTEN',
  VERBAL_WITH_WITNESS = 'VERBAL_WITH_WITNESS',
}

/** The parts of a person's data a limitation ("do not share X with Y") can withhold from one organisation. */
export enum SharingCategory {
  SIP_PLAN = 'SIP_PLAN',
  TIMELINE = 'TIMELINE',
  HOUSING = 'HOUSING',
  /** Relatives and children. */
  FAMILY = 'FAMILY',
}

export interface SharingLimitation {
  organisationId: string;
  category: SharingCategory;
}
