/**
 * Protected identity has three levels that must stay distinct (Skatteverket):
 * any level hides address and whereabouts from everyone not authorised.
 */
export enum ProtectedIdentity {
  NONE = 'NONE',
  /** Sekretessmarkering: disclose nothing without a careful assessment. */
  SEKRETESSMARKERING = 'SEKRETESSMARKERING',
  /** Skyddad folkbokföring: registered elsewhere, address hidden. */
  SKYDDAD_FOLKBOKFORING = 'SKYDDAD_FOLKBOKFORING',
  /** Fingerade personuppgifter: assumed identity. */
  FINGERADE_PERSONUPPGIFTER = 'FINGERADE_PERSONUPPGIFTER',
}

/** Legal gender, kept for the city's equality analysis. */
export enum LegalGender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNKNOWN = 'UNKNOWN',
}

/** Every adult must be asked whether they have children; UNKNOWN means nobody has asked yet. */
export enum ChildrenStatus {
  UNKNOWN = 'UNKNOWN',
  NONE = 'NONE',
  YES = 'YES',
}

export enum ContactChannel {
  SMS = 'SMS',
  PHONE = 'PHONE',
  LETTER = 'LETTER',
  EMAIL = 'EMAIL',
  /** Reached only through staff who meet the person (no phone, no address). */
  VIA_STAFF = 'VIA_STAFF',
}

export interface ChildRecord {
  birthYear: number;
  livesWithPerson: boolean;
}

/** The language messages to the person (SMS, a printed appointment note) are written in; Swedish unless the person prefers English. */
export enum PersonLanguage {
  SV = 'sv',
  EN = 'en',
}
