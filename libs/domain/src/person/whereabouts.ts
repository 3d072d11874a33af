import { ProtectedIdentity } from './person.enums';

/** What tells where a person is: an address, a contact's location, and a housing placement's provider and note. */
const WHEREABOUTS_FIELDS = ['address', 'location', 'providerOrganisationId', 'note'] as const;
type Whereabouts = { [K in (typeof WHEREABOUTS_FIELDS)[number]]?: string | null };

/**
 * A person with a protected identity (any level) must never have their address or whereabouts shown to
 * anyone but staff explicitly authorised for it (`authorised`, decided by the access policy): the address
 * of a housing placement and the location of a contact are blanked, and so are a placement's provider
 * (a named shelter or landlord locates the person) and its free-text note; everything else stays (the
 * kind of housing is an outcome measure and names no place).
 */
export function hideWhereabouts<T extends Whereabouts>(person: { protectedIdentity: ProtectedIdentity } | null, item: T, authorised = false): T {
  if (person && (person.protectedIdentity === ProtectedIdentity.NONE || authorised)) return item;
  const hidden: Whereabouts = {};
  for (const field of WHEREABOUTS_FIELDS) if (field in item) hidden[field] = null;
  return { ...item, ...hidden };
}
