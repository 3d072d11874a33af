/**
 * The identifier and code systems the FHIR API names. The Swedish identity numbers use the systems of the
 * Swedish base profiles (SEBasePatient, HL7 Sweden basprofiler), where personnummer and samordningsnummer
 * are 12 digits without a dash. Samverka's own systems are names under one base URI (not a web page):
 * they say where a code or id comes from.
 */
export const SAMVERKA_FHIR = 'https://samverka.se/fhir';

export const SYSTEM = {
  personnummer: 'http://electronichealth.se/identifier/personnummer',
  samordningsnummer: 'http://electronichealth.se/identifier/samordningsnummer',
  /** Region Stockholm's reserve number: the base profiles define no system for it. */
  reserveNumber: `${SAMVERKA_FHIR}/identifier/reservnummer`,
  temporaryReference: `${SAMVERKA_FHIR}/identifier/temporary-reference`,
  staff: `${SAMVERKA_FHIR}/identifier/staff`,
  organisation: `${SAMVERKA_FHIR}/identifier/organisation`,
  needArea: `${SAMVERKA_FHIR}/CodeSystem/need-area`,
  goalKind: `${SAMVERKA_FHIR}/CodeSystem/goal-kind`,
  planCategory: `${SAMVERKA_FHIR}/CodeSystem/care-plan-category`,
  careTeamCategory: `${SAMVERKA_FHIR}/CodeSystem/care-team-category`,
  groupRole: `${SAMVERKA_FHIR}/CodeSystem/group-role`,
  profession: `${SAMVERKA_FHIR}/CodeSystem/profession`,
  principal: `${SAMVERKA_FHIR}/CodeSystem/principal`,
  episodeKind: `${SAMVERKA_FHIR}/CodeSystem/episode-kind`,
  consentPurpose: `${SAMVERKA_FHIR}/CodeSystem/consent-purpose`,
  consentGivenHow: `${SAMVERKA_FHIR}/CodeSystem/consent-given-how`,
  sharingCategory: `${SAMVERKA_FHIR}/CodeSystem/sharing-category`,
  accessAction: `${SAMVERKA_FHIR}/CodeSystem/access-action`,
  accessGround: `${SAMVERKA_FHIR}/CodeSystem/access-ground`,
  staffRole: `${SAMVERKA_FHIR}/CodeSystem/staff-role`,
  followUp: `${SAMVERKA_FHIR}/CodeSystem/plan-activity`,
} as const;

export const SE_BASE_PATIENT = 'http://hl7.se/fhir/ig/base/StructureDefinition/SEBasePatient';

/** Which system an identity kind's numbers belong to (an unidentified person has none). */
export const IDENTITY_SYSTEM: Record<string, string | undefined> = {
  PERSONNUMMER: SYSTEM.personnummer,
  SAMORDNINGSNUMMER: SYSTEM.samordningsnummer,
  RESERVE_NUMBER: SYSTEM.reserveNumber,
};
