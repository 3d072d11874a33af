import { Principal } from './organisation/organisation.enums';
import { Profession } from './staff/profession';

/** What an integration client's API key allows. */
export enum IntegrationScope {
  /** Read the directory: organisations, units, staff, ACT teams. */
  DIRECTORY_READ = 'DIRECTORY_READ',
  /** Create staff and units, and (de)activate staff, of the client's own organisation. */
  DIRECTORY_WRITE = 'DIRECTORY_WRITE',
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
  /** Set for an integration client (API key): what it may do. Never set for a person. */
  scopes?: IntegrationScope[];
  /** Where the request came from (the client's address), for the access log; set per request. */
  clientAddress?: string | null;
  /** The operation (the GraphQL field asked for), written to the access log as what was read or written. */
  operation?: string;
}
