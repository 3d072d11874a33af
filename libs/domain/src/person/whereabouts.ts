import { SharingCategory } from '../consent/consent.enums';
import { ProtectedIdentity } from './person.enums';

/** What tells where a person is: an address, a contact's location, and a housing placement's provider and note. */
const WHEREABOUTS_FIELDS = ['address', 'location', 'providerOrganisationId', 'note'] as const;
type Whereabouts = { [K in (typeof WHEREABOUTS_FIELDS)[number]]?: string | null };

/**
 * The category of a field that tells where the person is (an address, a place, a provider). It is not a
 * consent limitation: it is hidden by the protected-identity rule below, whatever the consents say.
 */
export const WHEREABOUTS = 'WHEREABOUTS';

/**
 * The category of a field that tells the group's decisions (proposals and their votes). Not a consent
 * limitation either: staff see it with the person; an integration client only with the decisions.read scope
 * (AccessPolicy.maySeeDecisions).
 */
export const DECISIONS = 'DECISIONS';

/** What a field of a person's data is shared as: a category a consent can withhold, their whereabouts, or the group's decisions. */
export type PersonDataCategory = SharingCategory | typeof WHEREABOUTS | typeof DECISIONS;

/**
 * A person with a protected identity (any level) must never have their address or whereabouts shown to
 * anyone but staff explicitly authorised for it (`authorised`, decided by the access policy). Unknown
 * person: hidden.
 */
export function whereaboutsHidden(
  person: { protectedIdentity: ProtectedIdentity } | null,
  authorised: boolean,
): boolean {
  return !person || (person.protectedIdentity !== ProtectedIdentity.NONE && !authorised);
}

/**
 * The same rule on a whole object, outside GraphQL (where fields declare it, see SharedAs): the address
 * of a housing placement and the location of a contact are blanked, and so are a placement's provider
 * (a named shelter or landlord locates the person) and its free-text note; everything else stays (the
 * kind of housing is an outcome measure and names no place).
 */
export function hideWhereabouts<T extends Whereabouts>(
  person: { protectedIdentity: ProtectedIdentity } | null,
  item: T,
  authorised = false,
): T {
  if (!whereaboutsHidden(person, authorised)) return item;
  const hidden: Whereabouts = {};
  for (const field of WHEREABOUTS_FIELDS) if (field in item) hidden[field] = null;
  return { ...item, ...hidden };
}
