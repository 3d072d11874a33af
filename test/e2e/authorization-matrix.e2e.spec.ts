import { OperationDefinitionNode, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { ProtectedIdentity, WebhookSubscriptionService } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { GqlResponse, startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The authorization matrix: every query, mutation and subscription of the served schema (read by
 * introspection, so a new field fails this test until it is given a case here) x role x member or not x
 * consent active / absent / withdrawn x protected identity. Allowed calls must get past access control;
 * refused calls must come back NOT_FOUND or FORBIDDEN with no data and none of the person's details.
 */

type Profile =
  'own' | 'other' | 'outsider' | 'auditor' | 'administrator' | 'orgAdministrator' | 'integration' | 'integrationCare';
type ConsentState = 'active' | 'absent' | 'withdrawn';
const PROFILES: Profile[] = [
  'own',
  'other',
  'outsider',
  'auditor',
  'administrator',
  'orgAdministrator',
  'integration',
  'integrationCare',
];
type Scope = 'DIRECTORY_READ' | 'DIRECTORY_WRITE' | CareScope;
type CareScope = 'PERSON_READ' | 'PERSON_WRITE' | 'PLAN_READ' | 'PLAN_WRITE' | 'DECISIONS_READ';
const CARE_SCOPES: ReadonlySet<Scope> = new Set<CareScope>([
  'PERSON_READ',
  'PERSON_WRITE',
  'PLAN_READ',
  'PLAN_WRITE',
  'DECISIONS_READ',
]);

/** Who may call: the rule each operation must follow, written once here and checked for every combination. */
type Policy =
  | 'public' // no token needed
  | 'signed-in' // anyone signed in; answers only about themselves or the directory
  | 'care-staff' // anyone signed in but an auditor or administrator
  | 'whereabouts-authorised' // the person's own principal's members authorised for protected whereabouts: none of the profiles here
  | 'person' // the person's data: own principal's members, or the other principal's with active consent
  | 'relation' // a place in the group, consent or not (limited view, withdrawing consent)
  | 'member-organisation' // 'person', and staff of the member's own organisation (here the municipality's): ending a membership
  | 'coordinator-organisation' // 'person', and the coordinator or staff of the coordinator's organisation (the municipality's)
  | 'auditor'
  | 'administrator'
  | 'organisation-administrator' // staff and units of one organisation (here the municipality's)
  | 'client-webhooks' // the integration profile's own webhook subscriptions: that client, the administrator, the municipality's administrators
  | 'webhook-lists'; // webhook listings: any integration client (its own), the administrator and organisation administrators (their organisation's)

/**
 * The integration client (an API key of the municipality with both directory scopes) may call only operations
 * marked with a scope, and only as far as the operation's own rule allows anyone. The care client (an OAuth
 * client of the municipality with every care-data scope, signed in by its access token) acts for the
 * municipality: on an operation a care scope opens it may do what the municipality's member of the group
 * ('own') may, and nothing else.
 */
function allowed(policy: Policy, profile: Profile, consent: ConsentState, scope?: Scope): boolean {
  // Webhooks are a client's own business whatever its scopes (what it is sent is decided per person at delivery).
  if (policy === 'client-webhooks')
    return profile === 'integration' || profile === 'administrator' || profile === 'orgAdministrator';
  if (policy === 'webhook-lists')
    return (
      profile === 'integration' ||
      profile === 'integrationCare' ||
      profile === 'administrator' ||
      profile === 'orgAdministrator'
    );
  if (policy === 'public') return true;
  if (profile === 'integration')
    return (
      scope !== undefined &&
      !CARE_SCOPES.has(scope) &&
      (policy === 'signed-in' || policy === 'organisation-administrator')
    );
  if (profile === 'integrationCare')
    return scope !== undefined && CARE_SCOPES.has(scope) && allowed(policy, 'own', consent);
  switch (policy) {
    case 'signed-in':
      return true;
    case 'organisation-administrator':
      return profile === 'administrator' || profile === 'orgAdministrator';
    case 'care-staff':
      return profile !== 'auditor' && profile !== 'administrator';
    case 'whereabouts-authorised':
      return false;
    case 'person':
      return profile === 'own' || (profile === 'other' && consent === 'active');
    case 'relation':
      return profile === 'own' || profile === 'other';
    case 'member-organisation':
    case 'coordinator-organisation':
      return profile === 'own';
    case 'auditor':
      return profile === 'auditor';
    case 'administrator':
      return profile === 'administrator';
  }
}

interface World {
  failedDeliveryId: string;
  /** An integration client (not the integration profile's own) whose key may be rotated. */
  rotatedClientId: string;
  /** A client secret of that client, to revoke. */
  rotatedSecretId: string;
  personId: string;
  secrets: string[];
  address: string;
  planId: string;
  interventionId: string;
  proposalId: string;
  episodeId: string;
  dischargeRequestId: string;
  teamId: string;
  teamMemberId: string;
  /** The person's place on a second team's caseload, whose roster has caseManagerStaffId. */
  clientId: string;
  caseManagerStaffId: string;
  spareMemberId: string;
  spareConsentId: string;
  emergencyId: string;
  /** An access-log entry about the person, for the systematic log review. */
  accessLogEntryId: string;
  /** An episode ended without a decision (of another person), for auditors to review. */
  endedEpisodeId: string;
  protectionChangeId: string;
  meetingId: string;
  otherPersonId: string;
  relativeId: string;
  organisationId: string;
  regionOrganisationId: string;
  spare: TestStaff;
  spareStaffIds: string[];
  staffIds: Record<Profile, string>;
  /** A webhook subscription of the integration profile's own client. */
  webhookSubscriptionId: string;
}

interface Case {
  policy: Policy;
  /** Subscriptions: who receives the event the check triggers (an opened proposal about the person). */
  receives?: (profile: Profile, consent: ConsentState) => boolean;
  /** The scope an integration client needs for it; none means integration clients may not call it. */
  scope?: Scope;
  /** May be refused FORBIDDEN for a business reason even when access is granted (e.g. not an elector). */
  businessForbidden?: boolean;
  call: (w: World) => { query: string; variables?: Record<string, unknown> };
}

const unique = () => randomBytes(3).toString('hex');
/** A public key (EC P-256) to register as a client's key; its private half was thrown away. */
const MATRIX_JWK = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: '47xoA1eJVCdrjEHu8Pk38QOd97jOYdAWXjlc2Ei0Lcg',
  y: 'GF4n2HYBx_c-lgOJ-RgtaBHLpwDUHGCAtiMU4t_0Wzk',
  kid: 'matrix',
});
const soon = () => new Date(Date.now() + 86_400_000).toISOString();
const content = (w: World) => ({
  followUpOn: '2030-01-15',
  needs: [{ area: 'HOUSING', description: 'Sleeps in shelters' }],
  interventions: [
    {
      description: 'Housing First assessment',
      responsiblePrincipal: 'MUNICIPALITY',
      responsibleOrganisationId: w.organisationId,
    },
  ],
});
const PERSON_FIELDS =
  'id givenName familyName identityNumber currentHousing { address } housingHistory { address } recentContacts { location summary }';

const CASES: Record<string, Case> = {
  // --- queries ---
  'Query.accessLogForPerson': {
    policy: 'auditor',
    call: (w) => ({
      query: `query($p: ID!) { accessLogForPerson(personId: $p) { id staffName entity } }`,
      variables: { p: w.personId },
    }),
  },
  'Query.accessLogForStaff': {
    policy: 'auditor',
    call: (w) => ({
      query: `query($s: ID!) { accessLogForStaff(staffId: $s) { id personId } }`,
      variables: { s: w.staffIds.other },
    }),
  },
  'Query.accessLogForIdentityNumber': {
    policy: 'auditor',
    call: () => ({
      query: `query($n: String!) { accessLogForIdentityNumber(identityNumber: $n) { registered entries { id } } }`,
      variables: { n: '19121212-1212' },
    }),
  },
  'Query.accessLogSample': {
    policy: 'auditor',
    call: () => ({ query: `{ accessLogSample(size: 5, seed: "matrix") { id personId reviewedAt } }` }),
  },
  'Query.accessLogVerification': {
    policy: 'auditor',
    call: () => ({ query: `{ accessLogVerification { ok sealed } }` }),
  },
  'Query.actTeam': {
    policy: 'signed-in',
    scope: 'DIRECTORY_READ',
    call: (w) => ({ query: `query($id: ID!) { actTeam(id: $id) { id name } }`, variables: { id: w.teamId } }),
  },
  'Query.actTeams': {
    policy: 'signed-in',
    scope: 'DIRECTORY_READ',
    call: () => ({ query: `{ actTeams { id name } }` }),
  },
  'Query.caseload': {
    policy: 'signed-in',
    call: () => ({ query: `{ caseload(first: 50) { edges { node { personId person { ${PERSON_FIELDS} } } } } }` }),
  },
  'Query.consents': {
    policy: 'person',
    scope: 'PERSON_READ',
    call: (w) => ({ query: `query($p: ID!) { consents(personId: $p) { id active } }`, variables: { p: w.personId } }),
  },
  'Query.dischargeRequest': {
    policy: 'person',
    scope: 'DECISIONS_READ',
    call: (w) => ({
      query: `query($id: ID!) { dischargeRequest(id: $id) { id status } }`,
      variables: { id: w.dischargeRequestId },
    }),
  },
  'Query.episodeEndingsToReview': {
    policy: 'auditor',
    call: () => ({ query: `{ episodeEndingsToReview(first: 5) { episodeId personId reason } }` }),
  },
  'Query.emergencyAccesses': {
    policy: 'auditor',
    call: () => ({ query: `{ emergencyAccesses(first: 5) { edges { node { id personId } } } }` }),
  },
  'Query.authMode': { policy: 'public', call: () => ({ query: `{ authMode }` }) },
  // Care staff may search; the answer holds only persons they may read (the person's reference is one of the secrets).
  'Query.findPersons': {
    policy: 'care-staff',
    scope: 'PERSON_READ',
    call: (w) => ({
      query: `query($i: FindPersonInput!) { findPersons(input: $i) { persons { id familyName } registeredElsewhere } }`,
      variables: { i: { temporaryReference: w.secrets[1] } },
    }),
  },
  'Query.me': { policy: 'signed-in', call: () => ({ query: `{ me { id } }` }) },
  'Query.notifications': { policy: 'signed-in', call: () => ({ query: `{ notifications { id personId kind } }` }) },
  'Query.organisations': {
    policy: 'signed-in',
    scope: 'DIRECTORY_READ',
    call: () => ({ query: `{ organisations(first: 5) { edges { node { id name } } } }` }),
  },
  'Query.patientOverview': {
    policy: 'person',
    scope: 'PERSON_READ',
    call: (w) => ({
      query: `query($p: ID!) { patientOverview(personId: $p) { person { ${PERSON_FIELDS} } currentHousing { address } recentContacts { location } } }`,
      variables: { p: w.personId },
    }),
  },
  'Query.person': {
    policy: 'person',
    scope: 'PERSON_READ',
    call: (w) => ({
      query: `query($id: ID!) { person(id: $id) { ${PERSON_FIELDS} relatives { name } sipPlans { id } } }`,
      variables: { id: w.personId },
    }),
  },
  'Query.personAccess': {
    policy: 'relation',
    call: (w) => ({
      query: `query($p: ID!) { personAccess(personId: $p) { level planExists contacts { role } } }`,
      variables: { p: w.personId },
    }),
  },
  'Query.protectedIdentityChanges': {
    policy: 'auditor',
    call: () => ({ query: `{ protectedIdentityChanges(first: 5) { edges { node { id personId toLevel } } } }` }),
  },
  'Query.proposal': {
    policy: 'person',
    scope: 'DECISIONS_READ',
    call: (w) => ({
      query: `query($id: ID!) { proposal(id: $id) { id status title } }`,
      variables: { id: w.proposalId },
    }),
  },
  'Query.sipPlan': {
    policy: 'person',
    scope: 'PLAN_READ',
    call: (w) => ({
      query: `query($id: ID!) { sipPlan(id: $id) { id status personGoals } }`,
      variables: { id: w.planId },
    }),
  },
  'Query.staffDirectory': {
    policy: 'care-staff',
    call: (w) => ({
      query: `query($s: String!) { staffDirectory(search: $s) { id givenName familyName profession phone organisation { name } unit { name } } }`,
      variables: { s: w.spare.staff.familyName },
    }),
  },
  'Query.staffMembers': {
    policy: 'signed-in',
    scope: 'DIRECTORY_READ',
    call: () => ({ query: `{ staffMembers(first: 5) { edges { node { id } } } }` }),
  },

  // --- mutations ---
  'Mutation.addActTeamMember': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`,
      variables: { i: { teamId: w.teamId, staffId: w.spareStaffIds[0], role: 'nurse' } },
    }),
  },
  'Mutation.addGroupMember': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: AddGroupMemberInput!) { addGroupMember(input: $i) { id } }`,
      variables: { i: { personId: w.personId, staffId: w.spareStaffIds[1], role: 'helper' } },
    }),
  },
  'Mutation.addOnCallShift': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: AddOnCallShiftInput!) { addOnCallShift(input: $i) { id } }`,
      variables: {
        i: {
          teamId: w.teamId,
          staffId: w.spare.staff.id,
          startsAt: new Date(Date.now() + 3_600_000).toISOString(),
          endsAt: new Date(Date.now() + 7_200_000).toISOString(),
        },
      },
    }),
  },
  'Mutation.addRelative': {
    policy: 'person',
    scope: 'PERSON_WRITE',
    call: (w) => ({
      query: `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`,
      variables: { p: w.personId, i: { name: 'Syster Test', relation: 'sister' } },
    }),
  },
  'Mutation.updateRelative': {
    policy: 'person',
    scope: 'PERSON_WRITE',
    call: (w) => ({
      query: `mutation($r: ID!, $i: UpdateRelativeInput!) { updateRelative(relativeId: $r, input: $i) { id } }`,
      variables: { r: w.relativeId, i: { mayParticipate: true } },
    }),
  },
  // Ended by the first allowed caller; the next get past access control and are refused as already ended.
  'Mutation.endRelative': {
    policy: 'person',
    scope: 'PERSON_WRITE',
    call: (w) => ({
      query: `mutation($r: ID!) { endRelative(relativeId: $r) { id endedOn } }`,
      variables: { r: w.relativeId },
    }),
  },
  'Mutation.castVote': {
    policy: 'person',
    businessForbidden: true,
    call: (w) => ({
      query: `mutation($i: CastVoteInput!) { castVote(input: $i) { id status } }`,
      variables: { i: { proposalId: w.proposalId, choice: 'AGREE' } },
    }),
  },
  // Before any membership change voids the proposal. Only the proposer or their organisation: the other principal's members are refused.
  'Mutation.withdrawProposal': {
    policy: 'person',
    businessForbidden: true,
    call: (w) => ({
      query: `mutation($i: WithdrawProposalInput!) { withdrawProposal(input: $i) { id status } }`,
      variables: { i: { proposalId: w.proposalId, reason: 'Setup: withdrawn' } },
    }),
  },
  'Mutation.changeCaseManager': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: ChangeCaseManagerInput!) { changeCaseManager(input: $i) { id } }`,
      variables: { i: { clientId: w.clientId, caseManagerStaffId: w.caseManagerStaffId } },
    }),
  },
  'Mutation.createActTeam': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
      variables: { i: { name: `ACT ${unique()}`, organisationId: w.organisationId } },
    }),
  },
  'Mutation.createOrganisation': {
    policy: 'administrator',
    call: () => ({
      query: `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }`,
      variables: { i: { name: `Org ${unique()}`, principal: 'OTHER', kind: 'NGO' } },
    }),
  },
  'Mutation.createSipPlan': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    call: (w) => ({
      query: `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
      variables: { i: { personId: w.personId, content: content(w) } },
    }),
  },
  'Mutation.createStaffMember': {
    policy: 'organisation-administrator',
    scope: 'DIRECTORY_WRITE',
    call: (w) => ({
      query: `mutation($i: CreateStaffMemberInput!) { createStaffMember(input: $i) { id } }`,
      variables: {
        i: { organisationId: w.organisationId, givenName: 'New', familyName: `Staff ${unique()}`, profession: 'NURSE' },
      },
    }),
  },
  'Mutation.createIntegrationClient': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { staff { id } } }`,
      variables: { i: { organisationId: w.organisationId, name: `Client ${unique()}`, scopes: ['DIRECTORY_READ'] } },
    }),
  },
  'Mutation.createUnit': {
    policy: 'organisation-administrator',
    scope: 'DIRECTORY_WRITE',
    call: (w) => ({
      query: `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`,
      variables: { i: { organisationId: w.organisationId, name: `Unit ${unique()}` } },
    }),
  },
  'Mutation.editSipPlan': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    call: (w) => ({
      query: `mutation($i: EditSipPlanInput!) { editSipPlan(input: $i) { id } }`,
      variables: { i: { planId: w.planId, expectedVersion: 1, content: { personGoals: 'A flat' } } },
    }),
  },
  'Mutation.endActTeamMembership': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($id: ID!) { endActTeamMembership(memberId: $id) { id } }`,
      variables: { id: w.teamMemberId },
    }),
  },
  'Mutation.endActTeamPlace': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: EndActTeamPlaceInput!) { endActTeamPlace(input: $i) { id } }`,
      variables: { i: { clientId: w.clientId } },
    }),
  },
  'Mutation.endGroupMembership': {
    policy: 'member-organisation',
    call: (w) => ({
      query: `mutation($i: EndGroupMembershipInput!) { endGroupMembership(input: $i) { id } }`,
      variables: { i: { memberId: w.spareMemberId } },
    }),
  },
  'Mutation.enrolInActTeam': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
      variables: { i: { personId: w.personId, teamId: w.teamId } },
    }),
  },
  'Mutation.login': {
    policy: 'public',
    call: () => ({
      query: `mutation($i: LoginInput!) { login(input: $i) { token } }`,
      variables: { i: { username: `nobody-${unique()}`, password: 'wrong' } },
    }),
  },
  'Mutation.signIn': {
    policy: 'public',
    // Refused as invalid input, before any password check: wrong passwords here would add to login's and lock the address out.
    call: () => ({
      query: `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt } }`,
      variables: { i: { username: '', password: '' } },
    }),
  },
  'Mutation.signOut': { policy: 'public', call: () => ({ query: `mutation { signOut }` }) },
  'Mutation.markNotificationsRead': {
    policy: 'signed-in',
    call: () => ({ query: `mutation { markNotificationsRead(ids: []) }` }),
  },
  'Mutation.openCareEpisode': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
      variables: { i: { personId: w.personId, kind: 'SOCIAL_SERVICES' } },
    }),
  },
  'Mutation.openEmergencyAccess': {
    policy: 'care-staff',
    call: (w) => ({
      query: `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      variables: { i: { personId: w.otherPersonId, reason: 'Found unwell at the day centre' } },
    }),
  },
  'Mutation.openProposal': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
      variables: {
        i: { personId: w.personId, type: 'OTHER', title: 'Matrix', rationale: 'Checking access', deadline: soon() },
      },
    }),
  },
  'Mutation.recordConsent': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      variables: {
        i: {
          personId: w.personId,
          purpose: 'SIP',
          scope: 'NAMED_ORGANISATIONS',
          organisationIds: [w.organisationId],
          givenHow: 'WRITTEN',
        },
      },
    }),
  },
  'Mutation.recordContact': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordContactInput!) { recordContact(input: $i) { id location } }`,
      variables: {
        i: { personId: w.personId, occurredAt: new Date().toISOString(), kind: 'PHONE', summary: 'Called' },
      },
    }),
  },
  'Mutation.recordEpisodeEnding': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id } }`,
      variables: { i: { personId: w.personId, reason: 'MOVED_OUT_OF_AREA', evidence: 'Not really: matrix test' } },
    }),
  },
  'Mutation.recordMove': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id address } }`,
      variables: { i: { personId: w.personId, kind: 'TRAINING_FLAT', startedOn: '2026-01-01', address: w.address } },
    }),
  },
  'Mutation.registerPerson': {
    policy: 'care-staff',
    scope: 'PERSON_WRITE',
    call: () => ({
      query: `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`,
      variables: {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Ny',
          familyName: `Person ${unique()}`,
          birthYear: 1980,
          legalGender: 'FEMALE',
          roleInGroup: 'contact',
        },
      },
    }),
  },
  'Mutation.requestDischarge': {
    policy: 'person',
    businessForbidden: true,
    call: (w) => ({
      query: `mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`,
      variables: { id: w.episodeId },
    }),
  },
  'Mutation.reviewProtectedIdentityChange': {
    policy: 'auditor',
    call: (w) => ({
      query: `mutation($i: ReviewProtectedIdentityChangeInput!) { reviewProtectedIdentityChange(input: $i) { id } }`,
      variables: { i: { id: w.protectionChangeId } },
    }),
  },
  'Mutation.setProtectedIdentity': {
    policy: 'whereabouts-authorised',
    call: (w) => ({
      query: `mutation($i: SetProtectedIdentityInput!) { setProtectedIdentity(input: $i) { id protectedIdentity currentHousing { address } } }`,
      variables: {
        i: { personId: w.personId, level: 'SEKRETESSMARKERING', reason: 'Matrix: lifting or changing protection' },
      },
    }),
  },
  'Mutation.reviewEpisodeEnding': {
    policy: 'auditor',
    call: (w) => ({
      query: `mutation($i: ReviewEpisodeEndingInput!) { reviewEpisodeEnding(input: $i) { episodeId } }`,
      variables: { i: { episodeId: w.endedEpisodeId } },
    }),
  },
  'Mutation.reviewAccessLogEntry': {
    policy: 'auditor',
    call: (w) => ({
      query: `mutation($i: ReviewAccessLogEntryInput!) { reviewAccessLogEntry(input: $i) { id reviewedAt } }`,
      variables: { i: { entryId: w.accessLogEntryId, note: 'Matrix review' } },
    }),
  },
  'Mutation.reviewEmergencyAccess': {
    policy: 'auditor',
    call: (w) => ({
      query: `mutation($i: ReviewEmergencyAccessInput!) { reviewEmergencyAccess(input: $i) { id } }`,
      variables: { i: { id: w.emergencyId } },
    }),
  },
  'Mutation.setActTeamNoContactAlertDays': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: SetNoContactAlertDaysInput!) { setActTeamNoContactAlertDays(input: $i) { id noContactAlertDays } }`,
      variables: { i: { teamId: w.teamId, days: 5 } },
    }),
  },
  'Mutation.setVotingRepresentative': {
    policy: 'member-organisation',
    call: (w) => ({
      query: `mutation($i: SetVotingRepresentativeInput!) { setVotingRepresentative(input: $i) { id votingRepresentative } }`,
      variables: { i: { memberId: w.spareMemberId, votingRepresentative: true } },
    }),
  },
  'Mutation.setCoordinator': {
    policy: 'coordinator-organisation',
    call: (w) => ({
      query: `mutation($i: SetCoordinatorInput!) { setCoordinator(input: $i) { id } }`,
      variables: { i: { personId: w.personId, staffId: w.staffIds.own } },
    }),
  },
  'Mutation.setFollowUp': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    call: (w) => ({
      query: `mutation($i: SetFollowUpInput!) { setFollowUp(input: $i) { id } }`,
      variables: { i: { planId: w.planId, expectedVersion: 1, followUpOn: '2030-02-01' } },
    }),
  },
  // Only the intervention's own principal (here the municipality) may change its status: the region is refused FORBIDDEN.
  'Mutation.setInterventionStatus': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    businessForbidden: true,
    call: (w) => ({
      query: `mutation($i: SetInterventionStatusInput!) { setInterventionStatus(input: $i) { id } }`,
      variables: { i: { planId: w.planId, expectedVersion: 1, interventionId: w.interventionId, status: 'ONGOING' } },
    }),
  },
  'Mutation.recordPlanApproval': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordPlanApprovalInput!) { recordPlanApproval(input: $i) { id versions { version approval { method } } } }`,
      variables: { i: { planId: w.planId, version: 1, method: 'PAPER_SIGNATURE' } },
    }),
  },
  'Mutation.recordSipFollowUp': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    call: (w) => ({
      query: `mutation($i: RecordSipFollowUpInput!) { recordSipFollowUp(input: $i) { id followUps { summary } } }`,
      variables: {
        i: { planId: w.planId, expectedVersion: 1, summary: 'Matrix follow-up', nextFollowUpOn: '2030-03-01' },
      },
    }),
  },
  'Mutation.setStaffActive': {
    policy: 'organisation-administrator',
    scope: 'DIRECTORY_WRITE',
    call: (w) => ({
      query: `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { id } }`,
      variables: { i: { staffId: w.spareStaffIds[2], active: true } },
    }),
  },
  'Mutation.setStaffRoles': {
    policy: 'organisation-administrator',
    call: (w) => ({
      query: `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id } }`,
      variables: { i: { staffId: w.spareStaffIds[2], whereaboutsAuthorised: false } },
    }),
  },
  'Mutation.transitionSipPlan': {
    policy: 'person',
    scope: 'PLAN_WRITE',
    call: (w) => ({
      query: `mutation($i: TransitionSipPlanInput!) { transitionSipPlan(input: $i) { id } }`,
      variables: { i: { planId: w.planId, expectedVersion: 1, status: 'ACTIVE' } },
    }),
  },
  'Mutation.updatePerson': {
    policy: 'person',
    scope: 'PERSON_WRITE',
    call: (w) => ({
      query: `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id } }`,
      variables: { p: w.personId, i: { phone: '+46 8 123 45' } },
    }),
  },
  'Mutation.withdrawConsent': {
    policy: 'relation',
    call: (w) => ({
      query: `mutation($i: WithdrawConsentInput!) { withdrawConsent(input: $i) { id } }`,
      variables: { i: { consentId: w.spareConsentId } },
    }),
  },

  'Mutation.planSipMeeting': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id location } }`,
      variables: {
        i: {
          personId: w.personId,
          startsAt: soon(),
          location: w.address,
          participantStaffIds: [w.staffIds.own],
          invitePerson: false,
        },
      },
    }),
  },
  'Mutation.rescheduleSipMeeting': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($id: ID!, $i: RescheduleSipMeetingInput!) { rescheduleSipMeeting(id: $id, input: $i) { id location } }`,
      variables: { id: w.meetingId, i: { startsAt: soon() } },
    }),
  },
  'Mutation.recordSipMeetingHeld': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($id: ID!, $i: RecordSipMeetingHeldInput!) { recordSipMeetingHeld(id: $id, input: $i) { id } }`,
      variables: {
        id: w.meetingId,
        i: { attendedStaffIds: [w.staffIds.own], minutes: 'Matrix minutes', personAttended: true },
      },
    }),
  },
  'Mutation.cancelSipMeeting': {
    policy: 'person',
    call: (w) => ({ query: `mutation($id: ID!) { cancelSipMeeting(id: $id) { id } }`, variables: { id: w.meetingId } }),
  },
  'Mutation.recordCaseCheck': {
    policy: 'person',
    call: (w) => ({
      query: `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`,
      variables: { i: { personId: w.personId, kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-01-02' } },
    }),
  },
  'Query.myNotificationPreferences': {
    policy: 'signed-in',
    call: () => ({ query: `{ myNotificationPreferences { email sms } }` }),
  },
  'Mutation.setNotificationPreferences': {
    policy: 'signed-in',
    call: () => ({
      query: `mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { email } }`,
      variables: { i: { email: false, sms: false } },
    }),
  },
  'Query.unreadNotificationCount': { policy: 'signed-in', call: () => ({ query: `{ unreadNotificationCount }` }) },
  'Mutation.markAllNotificationsRead': {
    policy: 'signed-in',
    call: () => ({ query: `mutation { markAllNotificationsRead }` }),
  },
  'Query.failedDeliveries': { policy: 'administrator', call: () => ({ query: `{ failedDeliveries { id channel } }` }) },
  // Sent again by the first allowed caller; the next get past access control and are refused as not failed.
  'Mutation.retryFailedDelivery': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($id: ID!) { retryFailedDelivery(id: $id) }`,
      variables: { id: w.failedDeliveryId },
    }),
  },
  'Mutation.createIntegrationClientSecret': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { clientSecret { id } } }`,
      variables: { i: { staffId: w.rotatedClientId, expiresAt: soon() } },
    }),
  },
  'Mutation.revokeIntegrationClientSecret': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($id: ID!) { revokeIntegrationClientSecret(secretId: $id) { clientId } }`,
      variables: { id: w.rotatedSecretId },
    }),
  },
  'Mutation.setIntegrationClientScopes': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: SetIntegrationClientScopesInput!) { setIntegrationClientScopes(input: $i) { scopes } }`,
      variables: { i: { staffId: w.rotatedClientId, scopes: ['DIRECTORY_READ'] } },
    }),
  },
  'Mutation.registerIntegrationClientKey': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: RegisterClientKeyInput!) { registerIntegrationClientKey(input: $i) { publicKeys { kid } } }`,
      variables: { i: { staffId: w.rotatedClientId, jwk: MATRIX_JWK } },
    }),
  },
  // Removes the key the administrator registered above; later callers are refused (no such key), past access control.
  'Mutation.removeIntegrationClientKey': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($i: RemoveClientKeyInput!) { removeIntegrationClientKey(input: $i) { publicKeys { kid } } }`,
      variables: { i: { staffId: w.rotatedClientId, kid: 'matrix' } },
    }),
  },
  'Query.integrationClients': {
    policy: 'administrator',
    call: () => ({ query: `{ integrationClients { clientId scopes secrets { hint } } }` }),
  },
  // Webhooks: the client itself (its own), the administrator, and the administrators of the client's organisation (the municipality's).
  'Query.webhookSubscriptions': {
    policy: 'webhook-lists',
    call: () => ({ query: `{ webhookSubscriptions { id url eventKinds } }` }),
  },
  'Query.webhookDeliveries': {
    policy: 'webhook-lists',
    call: () => ({
      query: `{ webhookDeliveries(first: 5) { edges { node { id eventId status attempts { statusCode } } } } }`,
    }),
  },
  'Mutation.createWebhookSubscription': {
    policy: 'client-webhooks',
    call: (w) => ({
      query: `mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id } } }`,
      variables: {
        i: { clientId: w.staffIds.integration, url: 'http://127.0.0.1:9/hooks', eventKinds: ['PLAN_ADOPTED'] },
      },
    }),
  },
  'Mutation.rotateWebhookSecret': {
    policy: 'client-webhooks',
    call: (w) => ({
      query: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      variables: { id: w.webhookSubscriptionId },
    }),
  },
  'Mutation.disableWebhookSubscription': {
    policy: 'client-webhooks',
    call: (w) => ({
      query: `mutation($id: ID!) { disableWebhookSubscription(id: $id) { id active } }`,
      variables: { id: w.webhookSubscriptionId },
    }),
  },
  'Mutation.rotateIntegrationClientKey': {
    policy: 'administrator',
    call: (w) => ({
      query: `mutation($id: ID!) { rotateIntegrationClientKey(staffId: $id) { staff { id } } }`,
      variables: { id: w.rotatedClientId },
    }),
  },

  // --- subscriptions (checked through graphql-ws below) ---
  'Subscription.decisionEvents': {
    policy: 'person',
    receives: (profile, consent) => allowed('person', profile, consent),
    call: (w) => ({
      query: `subscription($p: ID) { decisionEvents(personId: $p) { kind personId } }`,
      variables: { p: w.personId },
    }),
  },
  'Subscription.notificationReceived': {
    policy: 'signed-in',
    // Notifications go to the group's members, and are shown only while the member may see the person.
    receives: (profile, consent) => (profile === 'own' || profile === 'other') && allowed('person', profile, consent),
    call: () => ({ query: `subscription { notificationReceived { kind personId params { closeReason } } }` }),
  },
};

const ACCESS_CODES = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * One combination calls every operation as every profile (some 600 requests): 20 to 30 s alone on a busy
 * 2-core machine. The limit is for a hung case, not a measure of speed.
 */
const MATRIX_CASE_TIMEOUT_MS = 180_000;

describe('authorization matrix (every operation x role x membership x consent x protected identity)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let rootFields: string[];

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    // The root fields as the running API serves them (introspection is on outside production).
    const root = await api.gql<
      Record<
        'queryType' | 'mutationType' | 'subscriptionType',
        { name: string; fields: Array<{ name: string }> } | null
      >
    >(
      `{ queryType: __schema { queryType { name fields { name } } } mutationType: __schema { mutationType { name fields { name } } } subscriptionType: __schema { subscriptionType { name fields { name } } } }`,
    );
    const data = root.data as unknown as Record<
      string,
      Record<string, { name: string; fields: Array<{ name: string }> } | null>
    >;
    rootFields = Object.entries(data).flatMap(([alias, value]) => {
      const type = value[alias];
      return type ? type.fields.map((field) => `${type.name}.${field.name}`) : [];
    });
    expect(rootFields.length).toBeGreaterThan(40);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('has a case for every operation the schema serves, each calling that operation', () => {
    expect(Object.keys(CASES).sort()).toEqual([...rootFields].sort());
    for (const [key, c] of Object.entries(CASES)) {
      const op = parse(c.call(fakeWorld()).query).definitions[0] as OperationDefinitionNode;
      const field = op.selectionSet.selections[0];
      expect(`${key}: ${field.kind === 'Field' ? field.name.value : '?'}`).toBe(`${key}: ${key.split('.')[1]}`);
    }
  });

  async function buildWorld(
    consent: ConsentState,
    protectedIdentity: boolean,
  ): Promise<{ world: World; tokens: Record<Profile, string> }> {
    const s = await f.careSetting({ consent: consent !== 'absent' });
    if (consent === 'withdrawn') {
      const [given] = await f.consents.forPerson(s.person.id);
      await f.consents.withdraw(s.socialWorker.actor, given.id, 'withdrawn in writing');
    }
    if (protectedIdentity)
      await f.persons.setProtectedIdentity(
        s.socialWorker.actor,
        s.person.id,
        ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
        'Skatteverket decision, setting up',
      );
    const auditor = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    const administrator = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const orgAdministrator = await f.staff(s.municipality, 'SOCIAL_WORKER' as never);
    await db.dataSource.query(`UPDATE staff_member SET organisation_administrator = true WHERE id = $1`, [
      orgAdministrator.staff.id,
    ]);
    const integration = await f.apiKeys.createClient(administrator.actor, {
      organisationId: s.municipality.id,
      name: 'HR',
      scopes: ['DIRECTORY_READ', 'DIRECTORY_WRITE'] as never,
    });
    // A second client whose key the matrix rotates (rotating the first would change the integration profile's own key).
    const rotated = await f.apiKeys.createClient(administrator.actor, {
      organisationId: s.municipality.id,
      name: 'Rotated',
      scopes: ['DIRECTORY_READ'] as never,
    });
    const rotatedSecret = await f.integrationClients.createSecret(
      administrator.actor,
      rotated.staff.id,
      new Date(Date.now() + 30 * 86_400_000),
    );
    // The care client: every care-data scope, signed in through the OAuth token endpoint with a client secret.
    const care = await f.apiKeys.createClient(administrator.actor, {
      organisationId: s.municipality.id,
      name: 'EHR',
      scopes: ['PERSON_READ', 'PERSON_WRITE', 'PLAN_READ', 'PLAN_WRITE', 'DECISIONS_READ'] as never,
    });
    const careSecret = await f.integrationClients.createSecret(
      administrator.actor,
      care.staff.id,
      new Date(Date.now() + 30 * 86_400_000),
    );
    const granted = await fetch(api.url.replace(/\/graphql$/, '/oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: care.clientId,
        client_secret: careSecret.secret,
      }).toString(),
    });
    const careToken = ((await granted.json()) as { access_token: string }).access_token;
    const spare = await f.staff(s.municipality, 'SOCIAL_WORKER' as never);
    const spares = await Promise.all([0, 1, 2].map(() => f.staff(s.municipality, 'NURSE' as never)));
    const spareMember = await f.collaboration.addMember(s.person.id, {
      staffId: spare.staff.id,
      role: 'spare',
      votingRepresentative: false,
    });
    const spareConsent = await f.consents.record(s.socialWorker.actor, {
      personId: s.person.id,
      purpose: 'SIP' as never,
      scope: 'NAMED_ORGANISATIONS' as never,
      organisationIds: [s.ngo.id],
      givenHow: 'WRITTEN' as never,
    });
    const otherPerson = await f.person(spare);
    await f.persons.setProtectedIdentity(
      spare.actor,
      otherPerson.id,
      ProtectedIdentity.SEKRETESSMARKERING,
      'Setup: a change to review',
    );
    const [protectionChange] = await db.dataSource.query(
      `SELECT id FROM protected_identity_change WHERE person_id = $1`,
      [otherPerson.id],
    );
    const tokens = {
      own: await api.login(s.socialWorker.username, s.socialWorker.password),
      other: await api.login(s.psychiatrist.username, s.psychiatrist.password),
      outsider: await api.login(s.outsider.username, s.outsider.password),
      auditor: await api.login(auditor.username, auditor.password),
      administrator: await api.login(administrator.username, administrator.password),
      orgAdministrator: await api.login(orgAdministrator.username, orgAdministrator.password),
      integration: integration.apiKey,
      integrationCare: careToken,
    };
    const as = async (token: string, query: string, variables: Record<string, unknown>) => {
      const r = await api.gql<any>(query, variables, token);
      if (r.errors) throw new Error(`setup: ${JSON.stringify(r.errors)}`);
      return r.data;
    };
    const address = `Matrisgatan ${unique()}`;
    await as(tokens.own, `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'EMERGENCY_SHELTER', startedOn: '2025-06-01', address },
    });
    await as(tokens.own, `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        occurredAt: new Date().toISOString(),
        kind: 'HOME_VISIT',
        location: address,
        summary: 'Visit',
      },
    });
    const partial: Partial<World> = { organisationId: s.municipality.id };
    const plan = (
      await as(
        tokens.own,
        `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id interventions { id } } }`,
        { i: { personId: s.person.id, content: content(partial as World) } },
      )
    ).createSipPlan;
    const proposal = (
      await as(tokens.own, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'OTHER',
          title: 'Setup',
          rationale: 'A decision to vote on',
          deadline: soon(),
        },
      })
    ).openProposal;
    const episode = (
      await as(tokens.own, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
        i: { personId: s.person.id, kind: 'SOCIAL_SERVICES' },
      })
    ).openCareEpisode;
    const discharge = (
      await as(tokens.own, `mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`, { id: episode.id })
    ).requestDischarge;
    const team = (
      await as(tokens.administrator, `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`, {
        i: { name: `ACT ${unique()}`, organisationId: s.municipality.id },
      })
    ).createActTeam;
    const teamMember = (
      await as(tokens.administrator, `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`, {
        i: { teamId: team.id, staffId: spare.staff.id, role: 'case manager' },
      })
    ).addActTeamMember;
    const caseloadTeam = (
      await as(tokens.administrator, `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`, {
        i: { name: `ACT ${unique()}`, organisationId: s.municipality.id },
      })
    ).createActTeam;
    await as(tokens.administrator, `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`, {
      i: { teamId: caseloadTeam.id, staffId: spares[2].staff.id, role: 'case manager' },
    });
    const place = (
      await as(tokens.own, `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`, {
        i: { personId: s.person.id, teamId: caseloadTeam.id },
      })
    ).enrolInActTeam;
    const spareToken = await api.login(spare.username, spare.password);
    const emergency = (
      await as(spareToken, `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`, {
        i: { personId: otherPerson.id, reason: 'Setup: emergency to review' },
      })
    ).openEmergencyAccess;
    await as(spareToken, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
      i: { personId: otherPerson.id, kind: 'SOCIAL_SERVICES' },
    });
    const endedEpisode = (
      await as(spareToken, `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id } }`, {
        i: { personId: otherPerson.id, reason: 'MOVED_OUT_OF_AREA', evidence: 'Setup: an ending to review' },
      })
    ).recordEpisodeEnding;
    const meeting = (
      await as(tokens.own, `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          startsAt: soon(),
          location: address,
          participantStaffIds: [s.socialWorker.staff.id],
          invitePerson: false,
        },
      })
    ).planSipMeeting;
    const relative = (
      await as(tokens.own, `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`, {
        p: s.person.id,
        i: { name: 'Moster Matris', relation: 'aunt' },
      })
    ).addRelative;
    // An e-mail to the social worker that failed after its last attempt, for the administrator to send again.
    const reminderKey = `matrix-${unique()}`;
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at, status, fired_at) VALUES ($1, 'MEETING_TOMORROW', $2, $3, now(), 'FIRED', now())`,
      [reminderKey, s.person.id, meeting.id],
    );
    const [failedDelivery] = await db.dataSource.query(
      `INSERT INTO delivery (reminder_key, recipient_staff_id, channel, idempotency_key, status, attempts, last_error, failed_at) VALUES ($1, $2, 'EMAIL', $1, 'FAILED', 5, 'Error550', now()) RETURNING id`,
      [reminderKey, s.socialWorker.staff.id],
    );
    const webhook = await new WebhookSubscriptionService(db.dataSource, db.config).create(administrator.actor, {
      clientId: integration.staff.id,
      url: 'http://127.0.0.1:9/hooks',
      eventKinds: ['MEETING_PLANNED'] as never,
    });
    const world: World = {
      webhookSubscriptionId: webhook.subscription.id,
      failedDeliveryId: failedDelivery.id,
      rotatedClientId: rotated.staff.id,
      rotatedSecretId: rotatedSecret.info.id,
      personId: s.person.id,
      // The name, the temporary reference that identifies an unidentified person, and the address.
      secrets: [s.person.familyName, s.person.temporaryReference, address].filter((x): x is string => Boolean(x)),
      address,
      planId: plan.id,
      interventionId: plan.interventions[0].id,
      proposalId: proposal.id,
      episodeId: episode.id,
      dischargeRequestId: discharge.id,
      teamId: team.id,
      teamMemberId: teamMember.id,
      clientId: place.id,
      caseManagerStaffId: spares[2].staff.id,
      spareMemberId: spareMember.id,
      spareConsentId: spareConsent.id,
      emergencyId: emergency.id,
      accessLogEntryId: (
        await db.dataSource.query(`SELECT max(id)::text AS id FROM access_log WHERE person_id = $1`, [s.person.id])
      )[0].id,
      endedEpisodeId: endedEpisode.id,
      protectionChangeId: protectionChange.id,
      meetingId: meeting.id,
      otherPersonId: otherPerson.id,
      relativeId: relative.id,
      organisationId: s.municipality.id,
      regionOrganisationId: s.psychiatry.id,
      spare,
      spareStaffIds: spares.map((x) => x.staff.id),
      staffIds: {
        own: s.socialWorker.staff.id,
        other: s.psychiatrist.staff.id,
        outsider: s.outsider.staff.id,
        auditor: auditor.staff.id,
        administrator: administrator.staff.id,
        orgAdministrator: orgAdministrator.staff.id,
        integration: integration.staff.id,
        integrationCare: care.staff.id,
      },
    };
    return { world, tokens };
  }

  const combinations: Array<[ConsentState, boolean]> = [
    ['active', false],
    ['absent', false],
    ['withdrawn', false],
    ['active', true],
    ['absent', true],
    ['withdrawn', true],
  ];

  it.each(combinations)(
    'consent %s, protected identity %s: allowed calls pass, refused calls reveal nothing',
    async (consent, protectedIdentity) => {
      const { world, tokens } = await buildWorld(consent, protectedIdentity);
      const failures: string[] = [];
      let checked = 0;
      for (const [key, c] of Object.entries(CASES)) {
        if (key.startsWith('Subscription.')) continue;
        for (const profile of PROFILES) {
          const { query, variables } = c.call(world);
          const r: GqlResponse<any> = await api.gql(
            query,
            variables,
            c.policy === 'public' ? undefined : tokens[profile],
          );
          const codes = (r.errors ?? []).map((e) => e.extensions?.code);
          const text = JSON.stringify(r);
          const expected = allowed(c.policy, profile, consent, c.scope);
          const where = `${key} as ${profile}`;
          checked++;
          if (expected) {
            const refusedBy = codes.filter(
              (code) => ACCESS_CODES.has(code as string) && !(c.businessForbidden && code === 'FORBIDDEN'),
            );
            if (
              refusedBy.length > 0 &&
              !(key === 'Mutation.login' && codes.every((code) => code === 'UNAUTHENTICATED'))
            )
              failures.push(`${where}: expected allowed, got ${codes.join(',')}`);
            if (key.startsWith('Query.') && r.errors)
              failures.push(`${where}: query answered with errors ${JSON.stringify(r.errors)}`);
            if (codes.includes('INTERNAL_SERVER_ERROR')) failures.push(`${where}: internal error`);
          } else {
            if (!codes.some((code) => code === 'NOT_FOUND' || code === 'FORBIDDEN'))
              failures.push(`${where}: expected refusal, got ${codes.join(',') || 'success'}`);
            if (r.data !== null) failures.push(`${where}: refused but returned data ${text.slice(0, 200)}`);
          }
          // Refused or not: nothing of this person leaks where access was not granted, and protected whereabouts never.
          const mayReadPerson = allowed('person', profile === 'integrationCare' ? 'own' : profile, consent);
          for (const secret of world.secrets) {
            const isAddress = secret === world.address;
            if (text.includes(secret) && (!mayReadPerson || (isAddress && protectedIdentity)))
              failures.push(
                `${where}: response contains ${isAddress ? 'the address' : `the person's ${secret === world.secrets[0] ? 'name' : 'reference'}`}`,
              );
          }
        }
      }
      failures.push(...(await checkSubscriptions(world, tokens, consent)));
      expect(checked).toBe(Object.keys(CASES).filter((k) => !k.startsWith('Subscription.')).length * PROFILES.length);
      expect(failures).toEqual([]);
    },
    MATRIX_CASE_TIMEOUT_MS,
  );

  /** Subscriptions: every profile subscribes to each; a proposal about the person is opened; only those who should receive it do. */
  async function checkSubscriptions(
    world: World,
    tokens: Record<Profile, string>,
    consent: ConsentState,
  ): Promise<string[]> {
    const subscriptions = Object.entries(CASES).filter(([key]) => key.startsWith('Subscription.'));
    const received = new Map<string, number>();
    const clients = PROFILES.flatMap((profile) =>
      subscriptions.map(([key, c]) => {
        const client = createClient({
          url: api.url.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${tokens[profile]}` },
        });
        const { query, variables } = c.call(world);
        let ready!: () => void;
        const started = new Promise<void>((resolve) => (ready = resolve));
        client.on('connected', () => ready());
        client.subscribe(
          { query, variables },
          {
            next: (m) => {
              if (!m.data) return;
              // Count only what concerns this world's person (and fail on anything carrying its secrets elsewhere).
              if (JSON.stringify(m.data).includes(world.personId))
                received.set(`${key} as ${profile}`, (received.get(`${key} as ${profile}`) ?? 0) + 1);
            },
            error: () => undefined,
            complete: () => undefined,
          },
        );
        return { client, started };
      }),
    );
    try {
      await Promise.all(clients.map((c) => c.started));
      // No fixed wait: the server registers a subscription some time after the socket is up, so proposals
      // are opened until every profile that should receive has received two events (two rounds: anyone
      // who should receive none would have had the first by then too), or a minute has passed.
      const shouldReceive = PROFILES.flatMap((profile) =>
        subscriptions.filter(([, c]) => c.receives!(profile, consent)).map(([key]) => `${key} as ${profile}`),
      );
      if (shouldReceive.length === 0)
        return ['subscriptions: nobody should receive in this world, so nothing shows that the events were sent'];
      const allReceived = (atLeast: number) => shouldReceive.every((k) => (received.get(k) ?? 0) >= atLeast);
      const giveUp = Date.now() + 60_000;
      for (let round = 0; Date.now() < giveUp && !allReceived(2); round++) {
        const opened = await api.gql(
          `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
          {
            i: {
              personId: world.personId,
              type: 'OTHER',
              title: `Subscription check ${round}`,
              rationale: 'An event to deliver',
              deadline: soon(),
            },
          },
          tokens.own,
        );
        if (opened.errors) return [`subscription setup: ${JSON.stringify(opened.errors)}`];
        const roundEnds = Math.min(giveUp, Date.now() + 5_000);
        while (Date.now() < roundEnds && !allReceived(round === 0 ? 1 : 2))
          await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return PROFILES.flatMap((profile) =>
        subscriptions.flatMap(([key, c]) => {
          const expected = c.receives!(profile, consent);
          const got = received.get(`${key} as ${profile}`) ?? 0;
          return expected === got > 0
            ? []
            : [`${key} as ${profile}: expected ${expected ? 'events' : 'none'}, got ${got}`];
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.client.dispose()));
    }
  }
});

function fakeWorld(): World {
  const id = '00000000-0000-4000-8000-000000000000';
  return new Proxy({} as World, {
    get: (_t, key) =>
      key === 'spareStaffIds'
        ? [id, id, id]
        : key === 'staffIds'
          ? { own: id, other: id }
          : key === 'spare'
            ? { staff: { id } }
            : key === 'secrets'
              ? []
              : id,
  });
}
