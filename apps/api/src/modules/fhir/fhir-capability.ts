import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

export type FhirResourceType =
  'Patient' | 'CarePlan' | 'CareTeam' | 'Goal' | 'Consent' | 'Task' | 'Encounter' | 'AuditEvent';

export const FHIR_RESOURCE_TYPES: readonly FhirResourceType[] = [
  'Patient',
  'CarePlan',
  'CareTeam',
  'Goal',
  'Consent',
  'Task',
  'Encounter',
  'AuditEvent',
];

const PATIENT_PARAM = {
  name: 'patient',
  type: 'reference',
  documentation: 'Patient/{id} or the id: the resources of one person',
} as const;

function resource(type: FhirResourceType): CapabilityStatementRestResource {
  if (type === 'AuditEvent') {
    return {
      type,
      documentation: "The person's access log (auditors only): search by patient; _count up to 500, newest first",
      interaction: [{ code: 'search-type' }],
      searchParam: [PATIENT_PARAM, { name: '_count', type: 'number' }],
    };
  }
  if (type === 'Patient') {
    return {
      type,
      profile: 'http://hl7.se/fhir/ig/base/StructureDefinition/SEBasePatient',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [
        { name: '_id', type: 'token' },
        {
          name: 'identifier',
          type: 'token',
          documentation:
            'http://electronichealth.se/identifier/personnummer|YYYYMMDDNNNN, or the samordningsnummer system; also finds a number the person held before',
        },
      ],
      operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }],
    };
  }
  return {
    type,
    interaction: [
      { code: 'read' },
      { code: 'search-type' },
      ...(type === 'CarePlan' ? [{ code: 'vread' as const }, { code: 'history-instance' as const }] : []),
    ],
    ...(type === 'CarePlan' ? { versioning: 'versioned' as const, readHistory: true } : {}),
    searchParam: [PATIENT_PARAM],
  };
}

/** What the API serves: read-only JSON, these types, these searches. */
export function capabilityStatement(baseUrl: string, date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'Samverka',
    kind: 'instance',
    software: { name: 'Samverka' },
    implementation: { description: 'Samverka FHIR R4 API (read-only)', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            "A bearer token in the Authorization header, as for the GraphQL API: a staff token, or an integration client's OAuth 2.0 access token (client credentials at /oauth/token). " +
            'A client needs person.read for every resource, plan.read (or plan.write) too for CarePlan, Goal and Task, decisions.read too for Encounter; AuditEvent is for auditors only. ' +
            'Every read is decided and access-logged by the same rule as GraphQL: consent limitations and protected identity apply.',
        },
        resource: FHIR_RESOURCE_TYPES.map(resource),
      },
    ],
  };
}
