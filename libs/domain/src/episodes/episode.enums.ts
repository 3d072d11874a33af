/** Which involvement of a principal the episode is. */
export enum EpisodeKind {
  PSYCHIATRY = 'PSYCHIATRY',
  ADDICTION_CARE = 'ADDICTION_CARE',
  SOCIAL_SERVICES = 'SOCIAL_SERVICES',
  PRIMARY_CARE = 'PRIMARY_CARE',
}

export enum EpisodeStatus {
  ACTIVE = 'ACTIVE',
  /** Closed by the principal with the collaboration group's agreement. */
  DISCHARGED = 'DISCHARGED',
  /** Ended by something no one decides (see EndingReason); never called a discharge. */
  ENDED = 'ENDED',
}

export enum EndingReason {
  DIED = 'DIED',
  MOVED_OUT_OF_AREA = 'MOVED_OUT_OF_AREA',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
}
