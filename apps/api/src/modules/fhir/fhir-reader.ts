import { Injectable } from '@nestjs/common';
import type { AuditEvent, CarePlan } from '@medplum/fhirtypes';
import { RecordKind, RecordOwnerQueries } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { GraphQLRefusal, OwnGraphQL } from '../../graphql/own-graphql';
import { FhirError } from './operation-outcome';
import { CareResource, personResources, toAuditEvent, toCarePlan } from './fhir.mapping';
import {
  ACCESS_LOG_QUERY,
  AccessLogEntryData,
  FIND_BY_IDENTITY_QUERY,
  PERSON_PARTS,
  personQuery,
  PersonQueryData,
  PLAN_HISTORY_QUERY,
  PlanHistoryData,
} from './fhir.queries';
import { IDENTITY_SYSTEM } from './fhir-systems';

export type CareResourceType = CareResource['resourceType'];

type Part = keyof typeof PERSON_PARTS;

/** What each resource type is read from: parts of the person (and the consents query), and which record its id names. */
const SOURCE: Record<CareResourceType, { parts: Part[]; consents: boolean; owner: RecordKind | null }> = {
  Patient: { parts: ['Patient'], consents: false, owner: null },
  CarePlan: { parts: ['CarePlan'], consents: false, owner: RecordKind.PLAN },
  Goal: { parts: ['CarePlan'], consents: false, owner: RecordKind.PLAN_GOAL },
  Task: { parts: ['CarePlan'], consents: false, owner: RecordKind.INTERVENTION },
  CareTeam: { parts: ['CareTeam'], consents: false, owner: RecordKind.GROUP },
  Encounter: { parts: ['Encounter'], consents: false, owner: RecordKind.EPISODE },
  Consent: { parts: ['CareTeam'], consents: true, owner: RecordKind.CONSENT },
};

export const CARE_RESOURCE_TYPES = Object.keys(SOURCE) as CareResourceType[];

/** Samverka's ids are UUIDs: any other FHIR id names nothing here (GraphQL would refuse it as bad input). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (what: string) => new FhirError(404, 'not-found', `${what} is not known, or not yours to see`);

/**
 * Reads FHIR resources for the signed-in actor of a request, only ever through the API's own GraphQL
 * server: the same queries, access policy, consent limitations, protected-identity hiding and access log
 * as the web client. An id is first traced to its person (RecordOwnerQueries: the id only, no data); the
 * person is then read through GraphQL, which decides. Unknown and refused look the same (404).
 */
@Injectable()
export class FhirReader {
  constructor(
    private readonly graphql: OwnGraphQL,
    private readonly owners: RecordOwnerQueries,
  ) {}

  /** The resources of these types of one person; null when the person is unknown or not the actor's to see. */
  async ofPerson(
    ctx: GraphQLContext,
    personId: string,
    types: readonly CareResourceType[],
  ): Promise<CareResource[] | null> {
    if (!UUID.test(personId)) return null;
    const parts = types.flatMap((t) => SOURCE[t].parts);
    const consents = types.some((t) => SOURCE[t].consents);
    let data: PersonQueryData;
    try {
      data = await this.graphql.query<PersonQueryData>(personQuery(parts, consents), { id: personId }, ctx);
    } catch (error) {
      if (error instanceof GraphQLRefusal && error.code === 'NOT_FOUND') return null;
      throw error;
    }
    return personResources(data.person, data.consents).filter((r) => types.includes(r.resourceType));
  }

  async read(ctx: GraphQLContext, type: CareResourceType, id: string): Promise<CareResource> {
    const owner = SOURCE[type].owner;
    const personId = owner ? await this.owners.personOf(owner, id) : id;
    if (!personId) throw notFound(`${type}/${id}`);
    const found = (await this.ofPerson(ctx, personId, [type]))?.find((r) => r.id === id);
    if (!found) throw notFound(`${type}/${id}`);
    return found;
  }

  /** Persons by an identifier (system|value): those the actor may see whose current or earlier number it is. */
  async patientsByIdentifier(ctx: GraphQLContext, token: string): Promise<CareResource[]> {
    const bar = token.indexOf('|');
    const system = bar >= 0 ? token.slice(0, bar) : null;
    const value = (bar >= 0 ? token.slice(bar + 1) : token).trim();
    if (system !== null && system !== '' && !Object.values(IDENTITY_SYSTEM).includes(system)) return [];
    if (!value)
      throw new FhirError(
        400,
        'invalid',
        'identifier: give a value, e.g. http://electronichealth.se/identifier/personnummer|191212121212',
      );
    const { findPersons } = await this.graphql.query<{ findPersons: { persons: { id: string }[] } }>(
      FIND_BY_IDENTITY_QUERY,
      { number: value },
      ctx,
    );
    const digits = value.replace(/\D/g, '');
    const patients = await Promise.all(findPersons.persons.map((p) => this.ofPerson(ctx, p.id, ['Patient'])));
    return patients
      .flatMap((p) => p ?? [])
      .filter(
        (p) =>
          p.resourceType === 'Patient' &&
          p.identifier?.some((i) => i.value === digits && (!system || i.system === system)),
      );
  }

  /** Every version of a SIP plan, newest first, as CarePlans (the current one included). */
  async planHistory(ctx: GraphQLContext, planId: string): Promise<CarePlan[]> {
    if (!UUID.test(planId)) throw notFound(`CarePlan/${planId}`);
    let data: PlanHistoryData;
    try {
      data = await this.graphql.query<PlanHistoryData>(PLAN_HISTORY_QUERY, { planId }, ctx);
    } catch (error) {
      if (error instanceof GraphQLRefusal && error.code === 'NOT_FOUND') throw notFound(`CarePlan/${planId}`);
      throw error;
    }
    const plan = data.sipPlan;
    return plan.versions.map((v) =>
      toCarePlan(v.snapshot, { id: plan.id, personId: plan.personId, version: v.version, lastUpdated: v.changedAt }),
    );
  }

  /** The person's access log as AuditEvents (auditors only: the GraphQL query refuses anyone else). */
  async auditEvents(ctx: GraphQLContext, personId: string, count: number): Promise<AuditEvent[]> {
    if (!UUID.test(personId)) return [];
    const data = await this.graphql.query<{ accessLogForPerson: AccessLogEntryData[] }>(
      ACCESS_LOG_QUERY,
      { id: personId, first: count },
      ctx,
    );
    return data.accessLogForPerson.map(toAuditEvent);
  }
}
