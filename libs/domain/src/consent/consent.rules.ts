import { ConsentScope, SharingCategory } from './consent.enums';

/**
 * When a consent lets an organisation's staff see the person: not withdrawn, in force on the day (first
 * and last day included), and either for the whole group or naming the organisation. The same rule in
 * TypeScript and, for the access policy's single statement, in SQL.
 */
export function consentCovers(
  consent: {
    withdrawnAt: Date | null;
    validFrom: string;
    validTo: string | null;
    scope: ConsentScope;
    organisationIds: string[];
  },
  organisationId: string,
  day: string,
): boolean {
  return (
    consent.withdrawnAt === null &&
    consent.validFrom <= day &&
    (consent.validTo === null || consent.validTo >= day) &&
    (consent.scope === ConsentScope.WHOLE_GROUP || consent.organisationIds.includes(organisationId))
  );
}

/** The SQL form of `consentCovers` for a consent row alias, an organisation id parameter and a day parameter. */
export function consentCoversSql(alias: string, organisation: string, day: string): string {
  return `(${alias}.withdrawn_at IS NULL AND ${alias}.valid_from <= ${day} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${day})
    AND (${alias}.scope = 'WHOLE_GROUP' OR ${organisation} = ANY(${alias}.organisation_ids)))`;
}

/** The categories withheld from an organisation by the limitations of the consents in force. */
export function withheldCategories(
  limitations: ReadonlyArray<{ organisationId: string; category: SharingCategory }>,
  organisationId: string,
): Set<SharingCategory> {
  return new Set(limitations.filter((l) => l.organisationId === organisationId).map((l) => l.category));
}
