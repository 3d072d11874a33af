import { Principal } from './organisation/organisation.enums';
import { Profession } from './staff/profession';

/**
 * What an integration client may do (its API key, or its OAuth access token). The care-data scopes open
 * operations only: which persons the client sees is still the access policy's (AccessPolicy, DECIDE_CLIENT_SQL).
 */
export enum IntegrationScope {
  /** Read the directory: organisations, units, staff, ACT teams. */
  DIRECTORY_READ = 'DIRECTORY_READ',
  /** Create staff and units, and (de)activate staff, of the client's own organisation. */
  DIRECTORY_WRITE = 'DIRECTORY_WRITE',
  /** Read persons (identity, group, overview) and find them by identity number. */
  PERSON_READ = 'PERSON_READ',
  /** Register persons and change their details. */
  PERSON_WRITE = 'PERSON_WRITE',
  /** Read SIP plans, their versions and meetings. */
  PLAN_READ = 'PLAN_READ',
  /** Draft, change and follow up SIP plans. */
  PLAN_WRITE = 'PLAN_WRITE',
  /** Read proposals, decisions and care episodes (never vote or request a discharge: those need a named person). */
  DECISIONS_READ = 'DECISIONS_READ',
}

/** The OAuth 2.0 scope string of each scope (RFC 6749 section 3.3), as a client asks for it at the token endpoint. */
export const OAUTH_SCOPE_OF: Readonly<Record<IntegrationScope, string>> = {
  [IntegrationScope.DIRECTORY_READ]: 'directory.read',
  [IntegrationScope.DIRECTORY_WRITE]: 'directory.write',
  [IntegrationScope.PERSON_READ]: 'person.read',
  [IntegrationScope.PERSON_WRITE]: 'person.write',
  [IntegrationScope.PLAN_READ]: 'plan.read',
  [IntegrationScope.PLAN_WRITE]: 'plan.write',
  [IntegrationScope.DECISIONS_READ]: 'decisions.read',
};

const SCOPE_OF_OAUTH = new Map(
  Object.entries(OAUTH_SCOPE_OF).map(([scope, name]) => [name, scope as IntegrationScope]),
);

/** The scope an OAuth scope string names, or undefined for one we do not know. */
export function scopeOfOAuth(name: string): IntegrationScope | undefined {
  return SCOPE_OF_OAUTH.get(name);
}

/** The scopes that open a person's data (as opposed to the directory). */
export const CARE_DATA_SCOPES: readonly IntegrationScope[] = [
  IntegrationScope.PERSON_READ,
  IntegrationScope.PERSON_WRITE,
  IntegrationScope.PLAN_READ,
  IntegrationScope.PLAN_WRITE,
  IntegrationScope.DECISIONS_READ,
];

/** The role an integration client acts in, written to the access log. */
export const INTEGRATION_CLIENT_ROLE = 'INTEGRATION_CLIENT';

/** Whether the actor is an integration client (a service account signed in by API key or OAuth token), not a person. */
export function isIntegrationClient(actor: Actor): boolean {
  return actor.scopes !== undefined;
}

/** The role written to the access log: the profession, or the role the actor acts in. */
export function accessLogRole(actor: Actor): string {
  if (actor.auditor) return 'AUDITOR';
  if (isIntegrationClient(actor)) return INTEGRATION_CLIENT_ROLE;
  return actor.profession;
}

/** The authenticated staff member on whose behalf a domain operation runs. */
export interface Actor {
  staffId: string;
  organisationId: string;
  unitId: string | null;
  profession: Profession;
  /** The principal of the actor's organisation. */
  principal: Principal;
  /** May maintain the directory (organisations, staff, ACT teams); sees no person because of it. */
  administrator?: boolean;
  /** Reads the access log; sees no care data because of it. */
  auditor?: boolean;
  /** Explicitly authorised to see the whereabouts of persons with a protected identity. */
  whereaboutsAuthorised?: boolean;
  /** Manages the staff and units of their own organisation. */
  organisationAdministrator?: boolean;
  /** Set for an integration client (API key or OAuth access token): what it may do. Never set for a person. */
  scopes?: IntegrationScope[];
  /** The OAuth client id, when an integration client signed in with an access token. */
  clientId?: string;
  /** Where the request came from (the client's address), for the access log; set per request. */
  clientAddress?: string | null;
  /** The operation (the GraphQL field asked for), written to the access log as what was read or written. */
  operation?: string;
}
