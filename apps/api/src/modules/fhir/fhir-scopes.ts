import { AccessPolicy } from '@samverka/auth';
import { Actor, DomainError, IntegrationScope, isIntegrationClient } from '@samverka/domain';
import { FhirResourceType } from './fhir-capability';

const PERSON = [IntegrationScope.PERSON_READ];
const PLAN = [IntegrationScope.PLAN_READ, IntegrationScope.PLAN_WRITE];
const DECISIONS = [IntegrationScope.DECISIONS_READ];

/**
 * What an integration client's scopes must hold to read each resource type: one scope of every group. Every
 * resource is read through the person (so person.read always), the plan's parts also need a plan scope and the
 * care episodes decisions.read, as their GraphQL operations do. AuditEvent is never a client's: the access log is
 * for auditors. Staff are not asked (they have no scopes); which persons anyone sees is the access policy's.
 */
export const FHIR_SCOPES: Readonly<Record<FhirResourceType, readonly (readonly IntegrationScope[])[] | null>> = {
  Patient: [PERSON],
  CareTeam: [PERSON],
  Consent: [PERSON],
  CarePlan: [PERSON, PLAN],
  Goal: [PERSON, PLAN],
  Task: [PERSON, PLAN],
  Encounter: [PERSON, DECISIONS],
  AuditEvent: null,
};

/** Refuses (FORBIDDEN, naming the scopes needed) a client whose scopes do not open this type; staff pass. */
export function assertFhirScopes(access: AccessPolicy, actor: Actor, type: FhirResourceType): void {
  if (!isIntegrationClient(actor)) return;
  const groups = FHIR_SCOPES[type];
  if (!groups) throw DomainError.forbidden(`${type} is not for integration clients`);
  for (const group of groups) access.assertIntegrationScope(actor, group);
}

/** Whether the actor's scopes open this type (what $everything includes for a client). */
export function fhirScopesAllow(actor: Actor, type: FhirResourceType): boolean {
  if (!isIntegrationClient(actor)) return true;
  const groups = FHIR_SCOPES[type];
  return groups !== null && groups.every((group) => group.some((scope) => actor.scopes!.includes(scope)));
}
