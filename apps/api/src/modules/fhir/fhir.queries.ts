/**
 * What the FHIR API reads, as GraphQL selections run through the API's own GraphQL server (OwnGraphQL):
 * the access policy decides and logs each read, and the declared field hiding (graphql/withheld.ts)
 * empties what a consent limitation withholds or a protected identity hides, before anything is mapped
 * to FHIR. Nothing here reads the database itself.
 */

const NAMED = `id name`;

const PERSON = `
  id givenName familyName birthYear legalGender phone preferredLanguage protectedIdentity temporaryReference
  identityKind identityNumber
  identityHistory { identityKind identityNumber replacedAt }
  currentHousing { id kind address startedOn }
  relatives { id name relation phone endedOn }`;

const PLAN_CONTENT = `
  status personGoals followUpOn consentGivenAt consentValidUntil overallResponsibilityPrincipal overallResponsibilityOrganisationId
  needs { id area description }
  interventions { id needId description status responsiblePrincipal responsibleOrganisationId responsibleUnitId }
  otherMeasures { id actorName description organisationId }
  participants { kind staffId relativeId name summoned }`;

const PLAN = `
  id personId version updatedAt ${PLAN_CONTENT}
  overallResponsibilityOrganisation { ${NAMED} }
  interventions { id responsibleOrganisation { ${NAMED} } responsibleUnit { ${NAMED} } }`;

const GROUP = `
  id coordinatorStaffId
  members { id role principal votingRepresentative validFrom validTo
    staff { id givenName familyName profession organisation { ${NAMED} } } }`;

const EPISODES = `careEpisodes { id kind status principal startedOn endedAt endingReason organisation { ${NAMED} } }`;

const CONSENTS = `consents(personId: $id) { id personId purpose scope organisationIds limitations { organisationId category } givenHow validFrom validTo recordedAt withdrawnAt active }`;

/** The parts of a person each resource type is made from. */
export const PERSON_PARTS = {
  Patient: PERSON,
  CarePlan: `collaborationGroup { id } sipPlans { ${PLAN} }`,
  CareTeam: `collaborationGroup { ${GROUP} }`,
  Encounter: EPISODES,
} as const;

/** One query for the parts asked for; consents are a query of their own (logged as such, as in GraphQL). */
export function personQuery(parts: ReadonlyArray<keyof typeof PERSON_PARTS>, withConsents: boolean): string {
  const selection = [...new Set(parts)].map((p) => PERSON_PARTS[p]).join('\n');
  return `query FhirPerson($id: ID!) { person(id: $id) { id ${selection} } ${withConsents ? CONSENTS : ''} }`;
}

export const CONSENTS_QUERY = `query FhirConsents($id: ID!) { ${CONSENTS} }`;

/** A plan's versions, for CarePlan's _history (the sipPlan query refuses a plan a consent withholds). */
export const PLAN_HISTORY_QUERY = `query FhirPlanHistory($planId: ID!) {
  sipPlan(id: $planId) {
    id personId version updatedAt
    versions { version changedAt snapshot { ${PLAN_CONTENT} } }
  }
}`;

/** Persons by identity number, only those the reader may see (the register check of findPersons). */
export const FIND_BY_IDENTITY_QUERY = `query FhirFind($number: String!) { findPersons(input: { identityNumber: $number }) { persons { id } } }`;

export const ACCESS_LOG_QUERY = `query FhirAccessLog($id: ID!, $first: Int!) {
  accessLogForPerson(personId: $id, first: $first) {
    id occurredAt action entity ground role staffId staffName organisationId organisationName clientAddress personId
  }
}`;

export interface Named {
  id: string;
  name: string;
}

export interface PlanContentData {
  status: 'DRAFT' | 'ACTIVE' | 'UNDER_REVISION' | 'CLOSED';
  personGoals: string;
  followUpOn: string | null;
  consentGivenAt: string | null;
  consentValidUntil: string | null;
  overallResponsibilityPrincipal: string | null;
  overallResponsibilityOrganisationId: string | null;
  needs: { id: string; area: string; description: string }[];
  interventions: {
    id: string;
    needId: string | null;
    description: string;
    status: 'PLANNED' | 'ONGOING' | 'COMPLETED' | 'CANCELLED';
    responsiblePrincipal: string;
    responsibleOrganisationId: string;
    responsibleUnitId: string | null;
    responsibleOrganisation?: Named;
    responsibleUnit?: Named | null;
  }[];
  otherMeasures: { id: string; actorName: string; description: string; organisationId: string | null }[];
  participants: {
    kind: string;
    staffId: string | null;
    relativeId: string | null;
    name: string | null;
    summoned: boolean;
  }[];
}

export interface PlanData extends PlanContentData {
  id: string;
  personId: string;
  version: number;
  updatedAt: string;
  overallResponsibilityOrganisation: Named | null;
}

export interface GroupData {
  id: string;
  coordinatorStaffId: string | null;
  members: {
    id: string;
    role: string;
    principal: string;
    votingRepresentative: boolean;
    validFrom: string;
    validTo: string | null;
    staff: { id: string; givenName: string; familyName: string; profession: string; organisation: Named };
  }[];
}

export interface EpisodeData {
  id: string;
  kind: 'PSYCHIATRY' | 'ADDICTION_CARE' | 'PRIMARY_CARE' | 'SOCIAL_SERVICES';
  status: 'ACTIVE' | 'DISCHARGED' | 'ENDED';
  principal: string;
  startedOn: string;
  endedAt: string | null;
  endingReason: string | null;
  organisation: Named;
}

export interface ConsentData {
  id: string;
  personId: string;
  purpose: 'SIP' | 'SHARING';
  scope: 'WHOLE_GROUP' | 'NAMED_ORGANISATIONS';
  organisationIds: string[];
  limitations: { organisationId: string; category: string }[];
  givenHow: string;
  validFrom: string;
  validTo: string | null;
  recordedAt: string;
  withdrawnAt: string | null;
  active: boolean;
}

export interface PersonData {
  id: string;
  givenName?: string;
  familyName?: string;
  birthYear?: number | null;
  legalGender?: 'FEMALE' | 'MALE' | 'UNKNOWN';
  phone?: string | null;
  preferredLanguage?: 'SV' | 'EN';
  protectedIdentity?: string;
  temporaryReference?: string;
  identityKind?: 'PERSONNUMMER' | 'SAMORDNINGSNUMMER' | 'RESERVE_NUMBER' | 'UNIDENTIFIED';
  identityNumber?: string | null;
  identityHistory?: { identityKind: string; identityNumber: string | null; replacedAt: string }[];
  currentHousing?: { id: string; kind: string; address: string | null; startedOn: string } | null;
  relatives?: { id: string; name: string; relation: string; phone: string | null; endedOn: string | null }[];
  collaborationGroup?: (Partial<GroupData> & { id: string }) | null;
  sipPlans?: PlanData[];
  careEpisodes?: EpisodeData[];
}

export interface PersonQueryData {
  person: PersonData;
  consents?: ConsentData[];
}

export interface PlanHistoryData {
  sipPlan: {
    id: string;
    personId: string;
    version: number;
    updatedAt: string;
    versions: { version: number; changedAt: string; snapshot: PlanContentData }[];
  };
}

export interface AccessLogEntryData {
  id: string;
  occurredAt: string;
  action: string;
  entity: string;
  ground: string;
  role: string;
  staffId: string;
  staffName: string;
  organisationId: string;
  organisationName: string;
  clientAddress: string | null;
  personId: string;
}
