import { ConsentScope, consentCovers, SharingCategory, withheldCategories } from '../../libs/domain/src';

describe('when a consent covers an organisation', () => {
  const psychiatry = 'org-psychiatry';
  const addiction = 'org-addiction';
  const base = {
    withdrawnAt: null,
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    scope: ConsentScope.WHOLE_GROUP,
    organisationIds: [] as string[],
  };

  it('covers everyone in the group while in force, first and last day included', () => {
    expect(consentCovers(base, psychiatry, '2026-01-01')).toBe(true);
    expect(consentCovers(base, psychiatry, '2026-12-31')).toBe(true);
    expect(consentCovers(base, psychiatry, '2025-12-31')).toBe(false);
    expect(consentCovers(base, psychiatry, '2027-01-01')).toBe(false);
    expect(consentCovers({ ...base, validTo: null }, psychiatry, '2040-01-01')).toBe(true);
  });

  it('covers only the named organisations when it names them', () => {
    const named = { ...base, scope: ConsentScope.NAMED_ORGANISATIONS, organisationIds: [psychiatry] };
    expect(consentCovers(named, psychiatry, '2026-06-01')).toBe(true);
    expect(consentCovers(named, addiction, '2026-06-01')).toBe(false);
  });

  it('covers nobody once withdrawn', () => {
    expect(consentCovers({ ...base, withdrawnAt: new Date('2026-03-01T10:00:00Z') }, psychiatry, '2026-02-01')).toBe(
      false,
    );
  });

  it('withholds only the categories limited for that organisation', () => {
    const limitations = [
      { organisationId: psychiatry, category: SharingCategory.HOUSING },
      { organisationId: addiction, category: SharingCategory.FAMILY },
    ];
    expect([...withheldCategories(limitations, psychiatry)]).toEqual([SharingCategory.HOUSING]);
    expect([...withheldCategories(limitations, 'org-other')]).toEqual([]);
  });
});
