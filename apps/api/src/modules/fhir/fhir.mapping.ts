import type {
  AuditEvent,
  CarePlan,
  CarePlanActivity,
  CareTeam,
  CodeableConcept,
  Consent,
  ConsentProvision,
  ConsentProvisionActor,
  Encounter,
  Goal,
  Identifier,
  Organization,
  Patient,
  Practitioner,
  Reference,
  RelatedPerson,
  Task,
} from '@medplum/fhirtypes';
import { today } from '@samverka/domain';
import { IDENTITY_SYSTEM, SE_BASE_PATIENT, SYSTEM } from './fhir-systems';
import {
  AccessLogEntryData,
  ConsentData,
  EpisodeData,
  GroupData,
  Named,
  PersonData,
  PlanContentData,
  PlanData,
} from './fhir.queries';

/**
 * Maps what GraphQL answered to FHIR R4 resources. Pure functions of their input: whatever GraphQL withheld
 * (an empty plan list, a null address) is simply absent here, so FHIR shows exactly what GraphQL shows.
 */

/** The resources of one person, by type (what a read, a search and $everything pick from). */
export type CareResource = Patient | CarePlan | Goal | Task | CareTeam | Encounter | Consent;

const coding = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
});

export const patientRef = (personId: string): Reference<Patient> => ({ reference: `Patient/${personId}` });

function staffRef(staffId: string, name?: string): Reference<Practitioner> {
  return {
    type: 'Practitioner',
    identifier: { system: SYSTEM.staff, value: staffId },
    ...(name ? { display: name } : {}),
  };
}

function organisationRef(id: string, name?: string): Reference<Organization> {
  return {
    type: 'Organization',
    identifier: { system: SYSTEM.organisation, value: id },
    ...(name ? { display: name } : {}),
  };
}

/** "YYYYMMDD-NNNN" (as GraphQL shows it) to the 12 digits the Swedish profiles use. */
const twelveDigits = (number: string) => number.replace(/\D/g, '');

function identityIdentifier(
  kind: string,
  number: string | null | undefined,
  use: Identifier['use'],
): Identifier | null {
  const system = IDENTITY_SYSTEM[kind];
  if (!system || !number) return null;
  return { use, system, value: twelveDigits(number) };
}

const GENDER: Record<string, Patient['gender']> = { FEMALE: 'female', MALE: 'male', UNKNOWN: 'unknown' };

/** SEBasePatient: identifiers by system (the current number official, earlier ones old), the official name. */
export function toPatient(p: PersonData): Patient {
  const identifier = [
    identityIdentifier(p.identityKind ?? 'UNIDENTIFIED', p.identityNumber, 'official'),
    ...(p.identityHistory ?? []).map((h) => identityIdentifier(h.identityKind, h.identityNumber, 'old')),
    p.temporaryReference
      ? { use: 'secondary' as const, system: SYSTEM.temporaryReference, value: p.temporaryReference }
      : null,
  ].filter((i): i is Identifier => i !== null);
  const protectedIdentity = p.protectedIdentity && p.protectedIdentity !== 'NONE';
  const address = p.currentHousing?.address;
  const relatives = (p.relatives ?? []).filter((r) => !r.endedOn);
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: {
      profile: [SE_BASE_PATIENT],
      // A protected identity: the record is restricted (its address and whereabouts are never shown to the unauthorised).
      ...(protectedIdentity
        ? {
            security: [
              { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' },
            ],
          }
        : {}),
    },
    ...(identifier.length ? { identifier } : {}),
    active: true,
    name: [{ use: 'official', text: `${p.givenName} ${p.familyName}`, family: p.familyName, given: [p.givenName!] }],
    ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone }] } : {}),
    ...(p.legalGender ? { gender: GENDER[p.legalGender] } : {}),
    ...(p.birthYear ? { birthDate: String(p.birthYear).padStart(4, '0') } : {}),
    ...(address
      ? { address: [{ use: 'home', type: 'physical', text: address, period: { start: p.currentHousing!.startedOn } }] }
      : {}),
    ...(relatives.length
      ? {
          contact: relatives.map((r) => ({
            relationship: [{ text: r.relation }],
            name: { text: r.name },
            ...(r.phone ? { telecom: [{ system: 'phone' as const, value: r.phone }] } : {}),
          })),
        }
      : {}),
    ...(p.preferredLanguage
      ? {
          communication: [
            { language: coding('urn:ietf:bcp:47', p.preferredLanguage === 'EN' ? 'en' : 'sv'), preferred: true },
          ],
        }
      : {}),
  };
}

const PLAN_STATUS: Record<PlanContentData['status'], CarePlan['status']> = {
  DRAFT: 'draft',
  ACTIVE: 'active',
  UNDER_REVISION: 'active',
  CLOSED: 'completed',
};
const GOAL_STATUS: Record<PlanContentData['status'], Goal['lifecycleStatus']> = {
  DRAFT: 'proposed',
  ACTIVE: 'active',
  UNDER_REVISION: 'active',
  CLOSED: 'completed',
};
const TASK_STATUS: Record<PlanContentData['interventions'][number]['status'], Task['status']> = {
  PLANNED: 'accepted',
  ONGOING: 'in-progress',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

export interface PlanMeta {
  id: string;
  personId: string;
  version: number;
  lastUpdated: string;
  groupId?: string | null;
  overallResponsibilityOrganisation?: Named | null;
}

function participantRef(
  p: PlanContentData['participants'][number],
  personId: string,
): Reference<Patient | Practitioner | RelatedPerson> | null {
  if (p.kind === 'PERSON') return patientRef(personId);
  if (p.kind === 'STAFF' && p.staffId) return staffRef(p.staffId, p.name ?? undefined);
  return p.name ? { type: p.kind === 'RELATIVE' ? 'RelatedPerson' : undefined, display: p.name } : null;
}

/** The SIP plan (one version of it): the person's goals and needs as Goals, the interventions as Tasks, what others do as activities. */
export function toCarePlan(content: PlanContentData, meta: PlanMeta): CarePlan {
  const goals = [...(content.personGoals.trim() ? [meta.id] : []), ...content.needs.map((n) => n.id)];
  const activity: CarePlanActivity[] = [
    ...content.interventions.map((i) => ({ reference: { reference: `Task/${i.id}` } })),
    ...content.otherMeasures.map((m) => ({
      detail: {
        status: 'unknown' as const,
        description: m.description,
        performer: [m.organisationId ? organisationRef(m.organisationId, m.actorName) : { display: m.actorName }],
      },
    })),
    ...(content.followUpOn
      ? [
          {
            detail: {
              code: coding(SYSTEM.followUp, 'FOLLOW_UP', 'Uppföljning av planen'),
              status: 'scheduled' as const,
              scheduledPeriod: { start: content.followUpOn },
            },
          },
        ]
      : []),
  ];
  const author = content.overallResponsibilityOrganisationId
    ? organisationRef(content.overallResponsibilityOrganisationId, meta.overallResponsibilityOrganisation?.name)
    : undefined;
  const contributor = content.participants.map((p) => participantRef(p, meta.personId)).filter((r) => r !== null);
  return {
    resourceType: 'CarePlan',
    id: meta.id,
    meta: { versionId: String(meta.version), lastUpdated: meta.lastUpdated },
    status: PLAN_STATUS[content.status],
    intent: 'plan',
    category: [coding(SYSTEM.planCategory, 'SIP', 'Samordnad individuell plan')],
    title: 'Samordnad individuell plan (SIP)',
    subject: patientRef(meta.personId),
    ...(content.consentGivenAt
      ? {
          period: {
            start: content.consentGivenAt,
            ...(content.consentValidUntil ? { end: content.consentValidUntil } : {}),
          },
        }
      : {}),
    ...(author ? { author } : {}),
    ...(contributor.length ? { contributor } : {}),
    ...(meta.groupId ? { careTeam: [{ reference: `CareTeam/${meta.groupId}` }] } : {}),
    ...(goals.length ? { goal: goals.map((id) => ({ reference: `Goal/${id}` })) } : {}),
    ...(activity.length ? { activity } : {}),
  };
}

/** The person's own goals (in their own words, expressed by the person) and each need of the plan. */
export function toGoals(plan: PlanData): Goal[] {
  const status = GOAL_STATUS[plan.status];
  const own: Goal[] = plan.personGoals.trim()
    ? [
        {
          resourceType: 'Goal',
          id: plan.id,
          lifecycleStatus: status,
          category: [coding(SYSTEM.goalKind, 'PERSON_GOALS', 'Personens egna mål')],
          description: { text: plan.personGoals },
          subject: patientRef(plan.personId),
          expressedBy: patientRef(plan.personId),
          ...(plan.followUpOn ? { target: [{ dueDate: plan.followUpOn }] } : {}),
        },
      ]
    : [];
  const needs: Goal[] = plan.needs.map((n) => ({
    resourceType: 'Goal',
    id: n.id,
    lifecycleStatus: status,
    category: [coding(SYSTEM.needArea, n.area)],
    description: { text: n.description },
    subject: patientRef(plan.personId),
  }));
  return [...own, ...needs];
}

/** Each intervention (insats), owned by its responsible organisation, part of the plan. */
export function toTasks(plan: PlanData): Task[] {
  return plan.interventions.map((i) => ({
    resourceType: 'Task',
    id: i.id,
    status: TASK_STATUS[i.status],
    intent: 'plan',
    description: i.description,
    basedOn: [{ reference: `CarePlan/${plan.id}` }],
    for: patientRef(plan.personId),
    owner: organisationRef(
      i.responsibleOrganisationId,
      i.responsibleOrganisation
        ? [i.responsibleOrganisation.name, i.responsibleUnit?.name].filter(Boolean).join(', ')
        : undefined,
    ),
    ...(i.needId ? { reasonReference: { reference: `Goal/${i.needId}` } } : {}),
  }));
}

/** The collaboration group (samverkansgrupp): each member with profession, role in the group and organisation. */
export function toCareTeam(personId: string, group: GroupData): CareTeam {
  return {
    resourceType: 'CareTeam',
    id: group.id,
    status: 'active',
    category: [coding(SYSTEM.careTeamCategory, 'SAMVERKANSGRUPP', 'Samverkansgrupp')],
    name: 'Samverkansgrupp',
    subject: patientRef(personId),
    participant: group.members.map((m) => ({
      role: [
        { coding: [{ system: SYSTEM.profession, code: m.staff.profession }], text: m.role },
        ...(m.staff.id === group.coordinatorStaffId ? [coding(SYSTEM.groupRole, 'COORDINATOR', 'Samordnare')] : []),
        ...(m.votingRepresentative ? [coding(SYSTEM.groupRole, 'VOTING_REPRESENTATIVE', 'Röstande representant')] : []),
        coding(SYSTEM.principal, m.principal),
      ],
      member: staffRef(m.staff.id, `${m.staff.givenName} ${m.staff.familyName}`),
      onBehalfOf: organisationRef(m.staff.organisation.id, m.staff.organisation.name),
      period: { start: m.validFrom, ...(m.validTo ? { end: m.validTo } : {}) },
    })),
  };
}

const ENCOUNTER_STATUS: Record<EpisodeData['status'], Encounter['status']> = {
  ACTIVE: 'in-progress',
  DISCHARGED: 'finished',
  ENDED: 'finished',
};

/** A care episode: one principal's involvement with the person, from its start to its discharge or ending. */
export function toEncounter(personId: string, e: EpisodeData): Encounter {
  return {
    resourceType: 'Encounter',
    id: e.id,
    status: ENCOUNTER_STATUS[e.status],
    // None of the v3 encounter classes fits a principal's involvement; the kind says what it is.
    class: { system: SYSTEM.episodeKind, code: e.kind },
    type: [coding(SYSTEM.episodeKind, e.kind)],
    subject: patientRef(personId),
    serviceProvider: organisationRef(e.organisation.id, e.organisation.name),
    period: { start: e.startedOn, ...(e.endedAt ? { end: e.endedAt } : {}) },
  };
}

const RECIPIENT: CodeableConcept = coding(
  'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  'IRCP',
  'information recipient',
);

/** A consent: to whom the person lets their data be shared, and the limitations ("do not share X with Y") as denials. */
export function toConsent(c: ConsentData, groupId: string | null | undefined): Consent {
  const actor: ConsentProvisionActor[] =
    c.scope === 'NAMED_ORGANISATIONS'
      ? c.organisationIds.map((id) => ({ role: RECIPIENT, reference: organisationRef(id) }))
      : groupId
        ? [{ role: RECIPIENT, reference: { reference: `CareTeam/${groupId}` } }]
        : [];
  const deny: ConsentProvision[] = c.limitations.map((l) => ({
    type: 'deny',
    actor: [{ role: RECIPIENT, reference: organisationRef(l.organisationId) }],
    code: [coding(SYSTEM.sharingCategory, l.category)],
  }));
  return {
    resourceType: 'Consent',
    id: c.id,
    // In force; or withdrawn or run out; or recorded to start later.
    status: c.active ? 'active' : !c.withdrawnAt && c.validFrom > today() ? 'proposed' : 'inactive',
    scope: coding('http://terminology.hl7.org/CodeSystem/consentscope', 'patient-privacy', 'Privacy Consent'),
    category: [
      coding('http://loinc.org', '59284-0', 'Patient Consent'),
      coding(SYSTEM.consentPurpose, c.purpose),
      coding(SYSTEM.consentGivenHow, c.givenHow),
    ],
    patient: patientRef(c.personId),
    dateTime: c.recordedAt,
    performer: [patientRef(c.personId)],
    policyRule: {
      text:
        c.purpose === 'SIP'
          ? 'SoL (2001:453) 2 kap. 7 §, HSL (2017:30) 16 kap. 4 §: samtycke till samordnad individuell plan'
          : 'OSL (2009:400) 12 kap. 2 §: samtycke till utlämnande mellan huvudmän',
    },
    provision: {
      type: 'permit',
      period: { start: c.validFrom, ...(c.validTo ? { end: c.validTo } : {}) },
      ...(actor.length ? { actor } : {}),
      ...(deny.length ? { provision: deny } : {}),
    },
  };
}

const AUDIT_ACTION = (action: string): AuditEvent['action'] =>
  action.startsWith('READ') ? 'R' : action === 'WRITE' ? 'U' : 'E';

/** An access-log entry: who read or changed what about the person, from which organisation, when, on what ground. */
export function toAuditEvent(e: AccessLogEntryData): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' },
    subtype: [{ system: SYSTEM.accessAction, code: e.action }],
    action: AUDIT_ACTION(e.action),
    recorded: e.occurredAt,
    outcome: '0',
    agent: [
      {
        type: coding(SYSTEM.staffRole, e.role),
        who: staffRef(e.staffId, e.staffName),
        requestor: true,
        ...(e.clientAddress ? { network: { address: e.clientAddress, type: '2' as const } } : {}),
        purposeOfUse: [coding(SYSTEM.accessGround, e.ground)],
      },
      {
        type: coding(SYSTEM.staffRole, 'ORGANISATION'),
        who: organisationRef(e.organisationId, e.organisationName),
        requestor: false,
      },
    ],
    source: { observer: { display: 'Samverka' } },
    entity: [
      {
        what: patientRef(e.personId),
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        description: e.entity,
      },
    ],
  };
}

/** Every resource of one person that the answer holds, in a fixed order (Patient first). */
export function personResources(person: PersonData, consents: ConsentData[] | undefined): CareResource[] {
  const plans = person.sipPlans ?? [];
  const groupId = person.collaborationGroup?.id ?? null;
  const all: CareResource[] = [
    ...(person.givenName !== undefined ? [toPatient(person)] : []),
    ...plans.map((plan) =>
      toCarePlan(plan, {
        id: plan.id,
        personId: plan.personId,
        version: plan.version,
        lastUpdated: plan.updatedAt,
        groupId,
        overallResponsibilityOrganisation: plan.overallResponsibilityOrganisation,
      }),
    ),
    ...plans.flatMap(toGoals),
    ...plans.flatMap(toTasks),
    ...(person.collaborationGroup?.members ? [toCareTeam(person.id, person.collaborationGroup as GroupData)] : []),
    ...(person.careEpisodes ?? []).map((e) => toEncounter(person.id, e)),
    ...(consents ?? []).map((c) => toConsent(c, groupId)),
  ];
  // A need or an intervention carried into a later plan keeps its id: the latest plan's (plans come newest first) is the one shown.
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
