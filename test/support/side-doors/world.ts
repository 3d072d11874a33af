import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { OrganisationKind, Principal, Profession, WebhookSubscriptionService } from '../../../libs/domain/src';
import { loadConfig } from '../../../libs/infrastructure/src';
import { Fixtures, TestStaff } from '../fixtures';
import { TestApi } from '../test-api';

/**
 * The side-door test's world: one person with a protected identity in a collaboration group of both
 * principals, an NGO and an organisation the consent does not cover; a consent with limitations; secrets
 * planted in every place that tells where the person is and in every category a limitation can withhold;
 * and one signed-in actor for every role.
 */

export const ROLES = [
  'own', // the home principal's social worker: coordinator, voting, authorised to see protected whereabouts
  'other', // the other principal's psychiatrist: voting, covered by the consent except FAMILY
  'otherNoConsent', // a member from an organisation of the other principal the consent does not cover
  'ngo', // an NGO peer supporter in the group, covered by the consent with every category withheld
  'emergency', // a home-principal social worker outside the group, with emergency access opened
  'outsider', // a region psychologist outside the group, no emergency access
  'administrator',
  'orgAdministrator', // the municipality's organisation administrator
  'auditor',
  'integration', // the municipality's integration client (API key with both scopes)
] as const;
export type Role = (typeof ROLES)[number];

/** The categories a consent limitation can withhold, plus what no category yet claims (finding 12). */
export const CATEGORIES = ['SIP_PLAN', 'TIMELINE', 'HOUSING', 'FAMILY', 'UNCLASSIFIED'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Actor {
  role: Role;
  staffId: string;
  organisationId: string;
  principal: string;
  token: string;
}

export interface Secret {
  label: string;
  value: string;
}

export interface World {
  /** An integration client other than the integration role's own. */
  spareIntegrationClientId: string;
  /** A client secret of the spare client, to revoke. */
  spareClientSecretId: string;
  /** The integration role's own client, and a webhook subscription of it. */
  integrationClientId: string;
  webhookSubscriptionId: string;
  /** An e-mail delivery that failed after its last attempt. */
  failedDeliveryId: string;
  personId: string;
  homePrincipal: string;
  groupId: string;
  actors: Record<Role, Actor>;
  /** Authorised (at the start) to see the protected person's whereabouts; nobody else is. */
  whereaboutsAuthorised: Set<Role>;
  whereabouts: Secret[];
  categories: Record<Category, Secret[]>;
  organisations: { municipality: string; psychiatry: string; primaryCare: string; ngo: string; provider: string };
  /** The second region voter (the electorate needs two region voters for the dissenter attack). */
  nurse: { staffId: string; token: string };
  spare: {
    memberId: string;
    staffId: string;
    addableStaffIds: string[];
    rolesStaffId: string;
    teamMemberId: string;
    consentId: string;
    relativeId: string;
  };
  /** The relative whose name and support needs are planted family secrets. */
  relativeId: string;
  limitingConsentId: string;
  /** The recorded change that made the person protected (where the schema records changes), else the person id. */
  protectionChangeId: string;
  planId: string;
  interventionId: string;
  proposalId: string;
  meetingId: string;
  episodes: { municipality: string; region: string };
  teamId: string;
  /** The person's place on a second team's caseload; the spare is on that team's roster. */
  clientId: string;
  emergencyId: string;
  /** An access-log entry about the person, for the systematic log review. */
  accessLogEntryId: string;
  otherPersonId: string;
}

const tag = () => randomBytes(4).toString('hex');
const soon = (hours = 24) => new Date(Date.now() + hours * 3_600_000).toISOString();

export async function buildWorld(api: TestApi, f: Fixtures, superuser: Client): Promise<World> {
  const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
  const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
  const primaryCare = await f.org(Principal.REGION, OrganisationKind.PRIMARY_CARE);
  const ngo = await f.org(Principal.OTHER, OrganisationKind.NGO);
  const provider = await f.org(Principal.OTHER, OrganisationKind.HOUSING_PROVIDER, `Skyddat boende ${tag()}`);

  const staff: Record<Role, TestStaff> = {
    own: await f.staff(municipality, Profession.SOCIAL_WORKER),
    other: await f.staff(psychiatry, Profession.PSYCHIATRIST),
    otherNoConsent: await f.staff(primaryCare, Profession.NURSE),
    ngo: await f.staff(ngo, Profession.PEER_SUPPORT_WORKER),
    emergency: await f.staff(municipality, Profession.SOCIAL_WORKER),
    outsider: await f.staff(psychiatry, Profession.PSYCHOLOGIST),
    administrator: await f.staff(municipality, Profession.OTHER, { administrator: true }),
    orgAdministrator: await f.staff(municipality, Profession.SOCIAL_WORKER),
    auditor: await f.staff(municipality, Profession.OTHER, { auditor: true }),
    integration: undefined as never,
  };
  await superuser.query(`UPDATE staff_member SET organisation_administrator = true WHERE id = $1`, [
    staff.orgAdministrator.staff.id,
  ]);
  await superuser.query(`UPDATE staff_member SET whereabouts_authorised = true WHERE id = $1`, [staff.own.staff.id]);
  const integration = await f.apiKeys.createClient(staff.administrator.actor, {
    organisationId: municipality.id,
    name: `HR ${tag()}`,
    scopes: ['DIRECTORY_READ', 'DIRECTORY_WRITE'] as never,
  });
  const nurse = await f.staff(psychiatry, Profession.NURSE);
  const spare = await f.staff(municipality, Profession.CASE_MANAGER);
  const addable = await Promise.all([0, 1].map(() => f.staff(municipality, Profession.NURSE)));
  const rolesTarget = await f.staff(municipality, Profession.NURSE);

  const person = await f.person(staff.own);
  // Protected from the start, as the registering principal's authorised staff would have recorded it.
  await f.collaboration.addMember(person.id, {
    staffId: staff.other.staff.id,
    role: 'treating psychiatrist',
    votingRepresentative: true,
  });
  await f.collaboration.addMember(person.id, {
    staffId: nurse.staff.id,
    role: 'psychiatric nurse',
    votingRepresentative: true,
  });
  await f.collaboration.addMember(person.id, {
    staffId: staff.otherNoConsent.staff.id,
    role: 'district nurse',
    votingRepresentative: false,
  });
  await f.collaboration.addMember(person.id, {
    staffId: staff.ngo.staff.id,
    role: 'peer supporter',
    votingRepresentative: false,
  });
  const spareMember = await f.collaboration.addMember(person.id, {
    staffId: spare.staff.id,
    role: 'case manager',
    votingRepresentative: false,
  });
  const otherPerson = await f.person(spare);

  const tokens = {} as Record<Role, string>;
  for (const role of ROLES)
    tokens[role] =
      role === 'integration' ? integration.apiKey : await api.login(staff[role].username, staff[role].password);
  const as = async (role: Role | string, query: string, variables: Record<string, unknown>) => {
    const r = await api.gql<any>(query, variables, tokens[role as Role] ?? role);
    if (r.errors) throw new Error(`side-door world: ${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data[Object.keys(r.data)[0]];
  };

  const consent = await as('own', `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
    i: {
      personId: person.id,
      purpose: 'SHARING',
      scope: 'NAMED_ORGANISATIONS',
      organisationIds: [psychiatry.id, ngo.id],
      givenHow: 'WRITTEN',
      limitations: [
        { organisationId: psychiatry.id, category: 'FAMILY' },
        ...['SIP_PLAN', 'TIMELINE', 'HOUSING', 'FAMILY'].map((category) => ({ organisationId: ngo.id, category })),
      ],
    },
  });
  const spareConsent = await as('own', `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
    i: {
      personId: person.id,
      purpose: 'SIP',
      scope: 'NAMED_ORGANISATIONS',
      organisationIds: [municipality.id],
      givenHow: 'WRITTEN',
    },
  });

  // Protected from the start, set by the registering principal's authorised staff (or, where the schema has
  // no way to, written directly).
  const protectedBy = await api.gql(
    `mutation($i: SetProtectedIdentityInput!) { setProtectedIdentity(input: $i) { id } }`,
    { i: { personId: person.id, level: 'SKYDDAD_FOLKBOKFORING', reason: 'Skyddad folkbokföring enligt Skatteverket' } },
    tokens.own,
  );
  if (protectedBy.errors) {
    await superuser.query(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE person SET protected_identity = 'SKYDDAD_FOLKBOKFORING' WHERE id = '${person.id}'; COMMIT`,
    );
  }
  const change = await superuser
    .query(`SELECT id::text FROM protected_identity_change WHERE person_id = $1 ORDER BY changed_at DESC LIMIT 1`, [
      person.id,
    ])
    .catch(() => ({ rows: [] }));

  const s = (label: string) => ({ label, value: `${label.replace(/\W+/g, '-')}-${tag()}` });
  const address = s('housing address');
  const note = s('housing note');
  const contactPlace = s('contact place');
  const meetingPlace = s('meeting place');
  const providerName: Secret = { label: 'housing provider', value: provider.name };
  const summary = s('contact summary');
  const goals = s('plan goals');
  const need = s('plan need');
  const relative = s('relative name');
  const relativeNeeds = s('relative support needs');
  const minutes = s('meeting minutes');
  const checkNote = s('case check note');
  const relativesCheckNote = s('relatives check note');
  const proposalTitle = s('proposal title');
  const proposalRationale = s('proposal rationale');

  await as('own', `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`, {
    i: {
      personId: person.id,
      kind: 'SUPPORTED_HOUSING',
      startedOn: '2025-06-01',
      address: address.value,
      note: note.value,
      providerOrganisationId: provider.id,
    },
  });
  await as('own', `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`, {
    i: {
      personId: person.id,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      kind: 'HOME_VISIT',
      location: contactPlace.value,
      summary: summary.value,
    },
  });
  const plan = await as(
    'own',
    `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id interventions { id } } }`,
    {
      i: {
        personId: person.id,
        content: {
          personGoals: goals.value,
          followUpOn: '2030-01-15',
          needs: [{ area: 'HOUSING', description: need.value }],
          interventions: [
            {
              description: 'Housing First assessment',
              responsiblePrincipal: 'MUNICIPALITY',
              responsibleOrganisationId: municipality.id,
            },
          ],
        },
      },
    },
  );
  const familyRelative = await as(
    'own',
    `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`,
    {
      p: person.id,
      i: { name: relative.value, relation: 'sister', supportNeeds: relativeNeeds.value },
    },
  );
  // A second relative, for ending (the first keeps the planted family secrets listed).
  const spareRelative = await as(
    'own',
    `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`,
    {
      p: person.id,
      i: { name: 'Kusin Reserv', relation: 'cousin' },
    },
  );
  await as('own', `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
    i: { personId: person.id, kind: 'VIOLENCE_ASSESSED', doneOn: '2026-01-02', note: checkNote.value },
  });
  await as('own', `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
    i: { personId: person.id, kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-01-03', note: relativesCheckNote.value },
  });
  const meeting = await as('own', `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
    i: {
      personId: person.id,
      startsAt: soon(48),
      location: meetingPlace.value,
      participantStaffIds: [staff.own.staff.id, staff.other.staff.id],
      invitePerson: false,
    },
  });
  // A second meeting, held, for its minutes (a meeting may be recorded as held only once it has started).
  let minutesPlanted = false;
  try {
    const held = await as('own', `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
      i: {
        personId: person.id,
        startsAt: soon(1),
        location: 'Kontoret',
        participantStaffIds: [staff.own.staff.id],
        invitePerson: false,
      },
    });
    await superuser.query(`UPDATE sip_meeting SET starts_at = now() - interval '1 hour' WHERE id = $1`, [held.id]);
    await as(
      'own',
      `mutation($id: ID!, $i: RecordSipMeetingHeldInput!) { recordSipMeetingHeld(id: $id, input: $i) { id } }`,
      {
        id: held.id,
        i: { attendedStaffIds: [staff.own.staff.id], minutes: minutes.value, personAttended: true },
      },
    );
    minutesPlanted = true;
  } catch {
    // Held meetings may not be forgeable this way any more; the other secrets still stand.
  }
  const proposal = await as('own', `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
    i: {
      personId: person.id,
      type: 'OTHER',
      title: proposalTitle.value,
      rationale: proposalRationale.value,
      deadline: soon(72),
    },
  });
  const municipalityEpisode = await as(
    'own',
    `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
    { i: { personId: person.id, kind: 'SOCIAL_SERVICES' } },
  );
  const regionEpisode = await as('other', `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
    i: { personId: person.id, kind: 'PSYCHIATRY' },
  });
  const team = await as('administrator', `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`, {
    i: { name: `ACT ${tag()}`, organisationId: municipality.id },
  });
  const teamMember = await as(
    'administrator',
    `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`,
    {
      i: { teamId: team.id, staffId: spare.staff.id, role: 'case manager' },
    },
  );
  const caseloadTeam = await as(
    'administrator',
    `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
    { i: { name: `ACT ${tag()}`, organisationId: municipality.id } },
  );
  await as('administrator', `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`, {
    i: { teamId: caseloadTeam.id, staffId: spare.staff.id, role: 'case manager' },
  });
  const place = await as('own', `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`, {
    i: { personId: person.id, teamId: caseloadTeam.id },
  });
  const emergency = await as(
    'emergency',
    `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
    {
      i: { personId: person.id, reason: 'Found unwell at the day centre, side-door test' },
    },
  );
  const [group] = (await superuser.query(`SELECT id FROM collaboration_group WHERE person_id = $1`, [person.id])).rows;
  const [logEntry] = (
    await superuser.query(`SELECT max(id)::text AS id FROM access_log WHERE person_id = $1`, [person.id])
  ).rows;

  const actors = {} as Record<Role, Actor>;
  for (const role of ROLES) {
    const member = role === 'integration' ? integration.staff : staff[role].staff;
    const [org] = (await superuser.query(`SELECT principal FROM organisation WHERE id = $1`, [member.organisationId]))
      .rows;
    actors[role] = {
      role,
      staffId: member.id,
      organisationId: member.organisationId,
      principal: org.principal,
      token: tokens[role],
    };
  }

  // A second integration client (whose key may be rotated without touching the integration role's), and an
  // e-mail to the own staff member that failed after its last attempt (for the administrator to send again).
  const spareClient = await f.apiKeys.createClient(staff.administrator.actor, {
    organisationId: municipality.id,
    name: `Spare ${tag()}`,
    scopes: ['DIRECTORY_READ'] as never,
  });
  const spareSecret = await f.integrationClients.createSecret(
    staff.administrator.actor,
    spareClient.staff.id,
    new Date(Date.now() + 30 * 86_400_000),
  );
  const reminderKey = `side-door-${tag()}`;
  await superuser.query(
    `INSERT INTO reminder (key, rule, person_id, subject_id, due_at, status, fired_at) VALUES ($1, 'MEETING_TOMORROW', $2, $3, now(), 'FIRED', now())`,
    [reminderKey, person.id, meeting.id],
  );
  const {
    rows: [failedDelivery],
  } = await superuser.query(
    `INSERT INTO delivery (reminder_key, recipient_staff_id, channel, idempotency_key, status, attempts, last_error, failed_at) VALUES ($1, $2, 'EMAIL', $1, 'FAILED', 5, 'Error550', now()) RETURNING id`,
    [reminderKey, staff.own.staff.id],
  );

  const webhook = await new WebhookSubscriptionService(f.db, loadConfig({ NODE_ENV: 'test' })).create(
    staff.administrator.actor,
    {
      clientId: integration.staff.id,
      url: 'http://127.0.0.1:9/hooks',
      eventKinds: ['MEETING_PLANNED'] as never,
    },
  );

  return {
    spareIntegrationClientId: spareClient.staff.id,
    spareClientSecretId: spareSecret.info.id,
    integrationClientId: integration.staff.id,
    webhookSubscriptionId: webhook.subscription.id,
    failedDeliveryId: failedDelivery.id as string,
    personId: person.id,
    homePrincipal: Principal.MUNICIPALITY,
    groupId: group.id,
    actors,
    whereaboutsAuthorised: new Set<Role>(['own']),
    whereabouts: [address, note, contactPlace, meetingPlace, providerName],
    categories: {
      SIP_PLAN: [goals, need],
      TIMELINE: [summary],
      HOUSING: [address, note],
      // A check of the person's relatives is family (and timeline) alike.
      FAMILY: [relative, relativeNeeds, relativesCheckNote],
      // Finding 12 names these as leaking limitations; which category claims them is the fix's choice,
      // so they are checked against organisations from which every category is withheld.
      UNCLASSIFIED: [checkNote, proposalTitle, proposalRationale, ...(minutesPlanted ? [minutes] : [])],
    },
    organisations: {
      municipality: municipality.id,
      psychiatry: psychiatry.id,
      primaryCare: primaryCare.id,
      ngo: ngo.id,
      provider: provider.id,
    },
    nurse: { staffId: nurse.staff.id, token: await api.login(nurse.username, nurse.password) },
    spare: {
      memberId: spareMember.id,
      staffId: spare.staff.id,
      addableStaffIds: addable.map((x) => x.staff.id),
      rolesStaffId: rolesTarget.staff.id,
      teamMemberId: teamMember.id,
      consentId: spareConsent.id,
      relativeId: spareRelative.id,
    },
    relativeId: familyRelative.id,
    limitingConsentId: consent.id,
    protectionChangeId: change.rows[0]?.id ?? person.id,
    planId: plan.id,
    interventionId: plan.interventions[0].id,
    proposalId: proposal.id,
    meetingId: meeting.id,
    episodes: { municipality: municipalityEpisode.id, region: regionEpisode.id },
    teamId: team.id,
    clientId: place.id,
    emergencyId: emergency.id,
    accessLogEntryId: logEntry.id,
    otherPersonId: otherPerson.id,
  };
}
