import { ApiError, toApiError } from '../../apps/web/src/api/client';
import { createI18n, loadLanguage } from '../../apps/web/src/i18n/i18n';
import { closeReasonText, notificationText } from '../../apps/web/src/notifications';
import { en } from '../../apps/web/src/i18n/en';
import { sv } from '../../apps/web/src/i18n/sv';
import { coverByDay } from '../../apps/web/src/lib/on-call';
import { diffPlans, type PlanContent } from '../../apps/web/src/lib/plan-diff';
import { computeReports } from '../../apps/web/src/lib/reports';
import { tally } from '../../apps/web/src/lib/tally';

// English is fetched when first chosen; these tests word texts in both languages.
beforeAll(() => loadLanguage('en'));

const base: PlanContent = {
  status: 'DRAFT',
  followUpOn: '2026-12-01',
  consentGivenAt: null,
  consentValidUntil: null,
  personGoals: 'Find a flat',
  overallResponsibilityPrincipal: 'MUNICIPALITY',
  overallResponsibilityOrganisationId: 'o1',
  needs: [{ id: 'n1', area: 'HOUSING', description: 'No home' }],
  interventions: [
    {
      id: 'i1',
      description: 'Housing First',
      status: 'PLANNED',
      responsiblePrincipal: 'MUNICIPALITY',
      responsibleOrganisationId: 'o1',
      needId: 'n1',
    },
  ],
  otherMeasures: [],
  participants: [],
};
const labels = {
  participant: (p: { name?: string | null }) => String(p.name),
  need: (n: { description: string }) => n.description,
  intervention: (i: { description: string; status: string }) => `${i.description} ${i.status}`,
  principal: (p: string | null | undefined) => String(p),
  organisation: (id: string) => `org ${id}`,
  status: (s: string) => s,
};

describe('plan diff', () => {
  it('finds nothing between equal revisions', () => {
    expect(diffPlans(base, { ...base }, labels)).toEqual([]);
  });

  it('names added, removed and changed items section by section', () => {
    const after: PlanContent = {
      ...base,
      status: 'ACTIVE',
      consentGivenAt: '2026-11-20',
      needs: [{ id: 'n2', area: 'SUBSTANCE_USE', description: 'Alcohol' }],
      interventions: [{ ...base.interventions[0], status: 'ONGOING' }],
    };
    expect(diffPlans(base, after, labels)).toEqual([
      { section: 'status', kind: 'changed', before: 'DRAFT', after: 'ACTIVE' },
      { section: 'consentGivenAt', kind: 'added', after: '2026-11-20' },
      { section: 'needs', kind: 'added', after: 'Alcohol' },
      { section: 'needs', kind: 'removed', before: 'No home' },
      { section: 'interventions', kind: 'changed', before: 'Housing First PLANNED', after: 'Housing First ONGOING' },
    ]);
  });
});

describe('plan diff: overall responsibility', () => {
  it('moving it to another organisation of the same principal is a change', () => {
    const before: PlanContent = {
      ...base,
      overallResponsibilityPrincipal: 'MUNICIPALITY',
      overallResponsibilityOrganisationId: 'o1',
    };
    const after: PlanContent = { ...before, overallResponsibilityOrganisationId: 'o2' };
    expect(diffPlans(before, after, labels)).toEqual([
      {
        section: 'overallResponsibility',
        kind: 'changed',
        before: 'MUNICIPALITY: org o1',
        after: 'MUNICIPALITY: org o2',
      },
    ]);
  });
});

describe('report figures', () => {
  const entry = (id: string, over: object, housing: Array<[string, string | null]>) => ({
    personId: id,
    planStatus: 'ACTIVE' as const,
    nextFollowUpOn: '2026-12-01',
    followUpOverdue: false,
    ...over,
    person: {
      id,
      legalGender: 'FEMALE' as const,
      housingHistory: housing.map(([startedOn, endedOn], n) => ({
        id: `${id}-${n}`,
        kind: 'STREET' as const,
        startedOn,
        endedOn,
      })),
    },
  });

  it('counts persons by plan status and gender, follow-ups on time and overdue, and moves per month', () => {
    const r = computeReports(
      [
        entry('a', {}, [
          ['2026-03-01', '2026-09-14'],
          ['2026-09-15', null],
        ]),
        entry('b', { followUpOverdue: true, planStatus: 'DRAFT' }, [
          ['2025-01-01', '2026-09-01'],
          ['2026-09-02', '2026-11-01'],
          ['2026-11-02', null],
        ]),
        entry('c', { nextFollowUpOn: null, planStatus: null }, []),
      ],
      '2026-11-23',
      3,
    );
    expect(r.persons).toBe(3);
    expect(Object.fromEntries(r.byPlanStatus)).toEqual({ ACTIVE: 1, DRAFT: 1, NONE: 1 });
    expect(Object.fromEntries(r.byGender)).toEqual({ FEMALE: 3 });
    expect(r.followUps).toEqual({ onTime: 1, overdue: 1, noDate: 1 });
    // The first placement on record is not a move.
    expect(r.movesByMonth).toEqual([
      { month: '2026-09', moves: 2 },
      { month: '2026-10', moves: 0 },
      { month: '2026-11', moves: 1 },
    ]);
  });

  it('counts the electorate’s votes', () => {
    expect(tally([{ choice: 'AGREE' }, { choice: 'DISAGREE' }, { choice: null }, {}])).toEqual({
      agree: 1,
      disagree: 1,
      pending: 2,
    });
  });
});

describe('API errors and texts', () => {
  it('turns a BAD_USER_INPUT error into messages per field path', () => {
    const error = toApiError([
      {
        message: 'Invalid input',
        extensions: {
          code: 'BAD_USER_INPUT',
          field: 'input.needs.0.description',
          fields: [{ field: 'input.needs.0.description', constraint: 'required', params: {} }],
        },
      },
    ]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.kind).toBe('invalid');
    expect(error.fieldProblem('needs.0.description')).toEqual({
      field: 'input.needs.0.description',
      constraint: 'required',
      params: {},
    });
    expect(error.fieldProblem('description')?.constraint).toBe('required');
    expect(error.fieldProblem('personGoals')).toBeUndefined();
    expect(toApiError([{ message: 'no', extensions: { code: 'FORBIDDEN' } }]).kind).toBe('forbidden');
    expect(toApiError([{ message: 'odd' }]).kind).toBe('failed');
  });

  it('has every Swedish text in English too, and fills in values', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${p}${k}`] : keys(v, `${p}${k}.`)));
    expect(keys(en).sort()).toEqual(keys(sv).sort());
    expect(createI18n('sv').t('plan.version', { version: 4 })).toBe('Version 4');
    expect(createI18n('en').t('decisions.tally', { agree: 2, disagree: 0, pending: 1 })).toBe(
      '2 agree, 0 disagree, 1 not voted',
    );
    expect(createI18n('sv').label('SipPlanStatus', 'UNDER_REVISION')).toBe('Under revidering');
    expect(createI18n('sv').date('2026-11-23')).toBe('23 nov. 2026');
  });
});

describe('on-call cover by day', () => {
  const at = (day: number, hour: number) => new Date(2026, 10, day, hour);
  const shift = (name: string, from: Date, to: Date) => ({
    name,
    startsAt: from.toISOString(),
    endsAt: to.toISOString(),
  });

  it('lists who covers each day and the gaps from now on', () => {
    const days = coverByDay(
      [shift('B', at(23, 20), at(24, 8)), shift('A', at(23, 8), at(23, 20)), shift('C', at(24, 8), at(24, 20))],
      at(23, 9),
      3,
    );
    expect(days.map((d) => d.day)).toEqual([at(23, 0), at(24, 0), at(25, 0)]);
    // Today: covered from now to midnight (the hour before 08:00 is past and not a gap).
    expect(days[0].shifts.map((s) => [s.name, s.from, s.to])).toEqual([
      ['A', at(23, 8), at(23, 20)],
      ['B', at(23, 20), at(24, 0)],
    ]);
    expect(days[0].gaps).toEqual([]);
    // Tomorrow: B until 08:00, C until 20:00, then nobody.
    expect(days[1].shifts.map((s) => s.name)).toEqual(['B', 'C']);
    expect(days[1].gaps).toEqual([{ from: at(24, 20), to: at(25, 0) }]);
    // The day after: nobody at all.
    expect(days[2].shifts).toEqual([]);
    expect(days[2].gaps).toEqual([{ from: at(25, 0), to: at(26, 0) }]);
  });

  it('finds a gap between two shifts', () => {
    const [today] = coverByDay([shift('A', at(23, 0), at(23, 10)), shift('B', at(23, 12), at(24, 0))], at(23, 0), 1);
    expect(today.gaps).toEqual([{ from: at(23, 10), to: at(23, 12) }]);
  });
});

describe('codes from the API, in the chosen language', () => {
  const sv_ = createI18n('sv');
  let en_ = createI18n('en');
  beforeAll(async () => {
    await loadLanguage('en');
    en_ = createI18n('en');
    expect(en_.language).toBe('en');
  });
  const invalid = (
    fields: Array<{ field: string; constraint: string; params?: Record<string, number> }>,
    extra: Record<string, unknown> = {},
  ) => toApiError([{ message: 'Invalid input: in English', extensions: { code: 'BAD_USER_INPUT', fields, ...extra } }]);

  it('words a field by the rule it broke, with the rule’s numbers; never the API’s English', () => {
    const error = invalid([
      { field: 'input.content.interventions.0.description', constraint: 'required' },
      { field: 'input.content.personGoals', constraint: 'maxLength', params: { max: 4000 } },
      { field: 'input.odd', constraint: 'somethingNew' },
    ]);
    expect(sv_.fieldError(error, 'interventions.0.description')).toBe('Fyll i fältet.');
    expect(sv_.fieldError(error, 'personGoals')).toBe('Högst 4000 tecken.');
    expect(en_.fieldError(error, 'personGoals')).toBe('At most 4000 characters.');
    expect(sv_.fieldError(error, 'odd')).toBe('Värdet godtas inte.');
    expect(sv_.fieldError(error, 'followUpOn')).toBeUndefined();
    expect(sv_.errorText(error)).toBe('Fyll i fältet.');
  });

  it('words a domain rule by its reason and parameters, and an error without one by its kind', () => {
    const far = invalid([{ field: 'deadline', constraint: 'DEADLINE_TOO_FAR', params: { maxDays: 30 } }], {
      reason: 'DEADLINE_TOO_FAR',
      params: { maxDays: 30 },
    });
    expect(sv_.fieldError(far, 'deadline')).toBe('Sista dag att rösta får vara högst 30 dagar framåt.');
    expect(sv_.errorText(far)).toBe('Sista dag att rösta får vara högst 30 dagar framåt.');
    expect(en_.errorText(far)).toBe('The voting deadline may be at most 30 days ahead.');
    expect(
      sv_.errorText(
        toApiError([{ message: 'The membership has already ended', extensions: { code: 'INVALID_STATE' } }]),
      ),
    ).toBe(sv.status.invalidState);
    expect(
      sv_.errorText(toApiError([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }])),
    ).toBe(sv.status.failed);
    expect(sv_.errorText(toApiError([{ message: 'no', extensions: { code: 'FORBIDDEN' } }]))).toBe(sv.status.forbidden);
  });

  it('has Swedish and English words for every reason the domain gives and every close reason and refusal', () => {
    expect(Object.keys(en.errors.reason).sort()).toEqual(Object.keys(sv.errors.reason).sort());
    for (const text of [
      ...Object.values(sv.errors.reason),
      ...Object.values(sv.codes.closeReason),
      ...Object.values(sv.codes.refusal),
    ])
      expect(text).not.toMatch(/utskriv/i);
  });

  it('words why a proposal closed and what a notification is about', () => {
    expect(closeReasonText(sv_, { closeReason: 'ALL_AGREED' })).toBe('Alla röstberättigade instämde.');
    expect(closeReasonText(sv_, { closeReason: 'EPISODE_ENDED', closeEndingReason: 'DIED' })).toBe(
      'Aktualiteten upphörde utan gruppens beslut: personen har avlidit',
    );
    expect(closeReasonText(sv_, { closeReason: 'WITHDRAWN', withdrawalReason: 'Fel aktualitet' })).toBe(
      'Förslaget drogs tillbaka: Fel aktualitet',
    );
    expect(closeReasonText(en_, { closeReason: 'MEMBERSHIP_CHANGED' })).toBe(
      'The membership of the collaboration group changed; propose again.',
    );
    const notice = (kind: string, params: Record<string, unknown> | null) =>
      ({ id: 'n', personId: 'p', createdAt: '2026-12-01T10:00:00Z', readAt: null, kind, params }) as never;
    expect(
      notificationText(sv_, notice('PROPOSAL_APPROVED', { proposalTitle: 'Boende', closeReason: 'ALL_AGREED' })),
    ).toBe('Förslag: Boende Alla röstberättigade instämde.');
    expect(
      notificationText(
        sv_,
        notice('GROUP_MEMBERSHIP_CHANGED', {
          principal: 'REGION',
          votingRepresentative: true,
          membershipChange: 'LEFT',
        }),
      ),
    ).toBe('En röstberättigad företrädare för regionen har lämnat samverkansgruppen.');
    expect(
      notificationText(en_, notice('EPISODE_ENDED', { episodeKind: 'PSYCHIATRY', endingReason: 'MOVED_OUT_OF_AREA' })),
    ).toBe('Psychiatry: the care episode ended (the person has moved out of the area). The ending is reviewed.');
    expect(notificationText(sv_, notice('PROPOSAL_OPENED', null))).toBeNull();
  });
});
