import { ProtectedIdentity } from './person.enums';

/**
 * A person with a protected identity (any level) must never have their address or whereabouts shown to
 * anyone but staff explicitly authorised for it (`authorised`, decided by the access policy): the address
 * of a housing placement and the location of a contact are blanked, everything else stays.
 */
export function hideWhereabouts<T extends { address?: string | null; location?: string | null }>(
  person: { protectedIdentity: ProtectedIdentity } | null,
  item: T,
  authorised = false,
): T {
  if (person && (person.protectedIdentity === ProtectedIdentity.NONE || authorised)) return item;
  return { ...item, ...('address' in item ? { address: null } : {}), ...('location' in item ? { location: null } : {}) };
}
