import {
  ConsentStanding,
  consentStanding,
  daysSince,
  followUpOverdue,
  memberCaseloadFigures,
  nextMeeting,
  teamCaseloadFigures,
  voteMissing,
} from '../../libs/domain/src';

const consent = (over: Partial<Parameters<typeof consentStanding>[0][number]>) => ({
  purpose: 'SHARING',
  validFrom: '2026-01-01',
  validTo: null,
  withdrawnAt: null,
  recordedAt: new Date('2026-01-01T09:00:00Z'),
  ...over,
});

describe('where we stand with a person', () => {
  it('counts days since a contact in Swedish calendar days, not in 24-hour periods', () => {
    // 23:30 Swedish time on 6 December (22:30 UTC) is the day before 7 December, however few hours ago.
    expect(daysSince(new Date('2026-12-06T22:30:00Z'), '2026-12-07')).toBe(1);
    // 00:30 Swedish time on 7 December (23:30 UTC on the 6th) is today.
    expect(daysSince(new Date('2026-12-06T23:30:00Z'), '2026-12-07')).toBe(0);
    expect(daysSince(new Date('2026-11-07T10:00:00Z'), '2026-12-07')).toBe(30);
    expect(daysSince(null, '2026-12-07')).toBeNull();
  });

  it('tells a consent in force, ending soon, withdrawn, ended or never given, from the sharing consents only', () => {
    const day = '2026-12-07';
    expect(consentStanding([], day)).toEqual({ state: ConsentStanding.NONE, validUntil: null });
    expect(consentStanding([consent({ purpose: 'SIP' })], day).state).toBe(ConsentStanding.NONE);
    expect(consentStanding([consent({})], day)).toEqual({ state: ConsentStanding.IN_FORCE, validUntil: null });
    expect(consentStanding([consent({ validTo: '2027-01-06' })], day)).toEqual({
      state: ConsentStanding.ENDS_SOON,
      validUntil: '2027-01-06',
    });
    expect(consentStanding([consent({ validTo: '2027-01-07' })], day)).toEqual({
      state: ConsentStanding.IN_FORCE,
      validUntil: '2027-01-07',
    });
    // One open-ended consent in force outweighs another that ends soon.
    expect(consentStanding([consent({ validTo: '2026-12-20' }), consent({})], day).state).toBe(
      ConsentStanding.IN_FORCE,
    );
    expect(consentStanding([consent({ withdrawnAt: new Date('2026-12-01T10:00:00Z') })], day).state).toBe(
      ConsentStanding.WITHDRAWN,
    );
    expect(consentStanding([consent({ validTo: '2026-12-06' })], day)).toEqual({
      state: ConsentStanding.NOT_IN_FORCE,
      validUntil: '2026-12-06',
    });
    expect(consentStanding([consent({ validFrom: '2026-12-08' })], day).state).toBe(ConsentStanding.NOT_IN_FORCE);
  });

  it('finds the next meeting still to be held, and an overdue follow-up from the day after', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const at = (iso: string, status = 'PLANNED') => ({ startsAt: new Date(iso), status });
    const soon = at('2026-12-09T09:00:00Z');
    expect(
      nextMeeting(
        [at('2026-12-20T09:00:00Z'), soon, at('2026-12-08T09:00:00Z', 'CANCELLED'), at('2026-12-01T09:00:00Z')],
        now,
      ),
    ).toBe(soon);
    expect(nextMeeting([at('2026-12-01T09:00:00Z')], now)).toBeNull();
    expect(followUpOverdue('2026-12-07', '2026-12-07')).toBe(false);
    expect(followUpOverdue('2026-12-06', '2026-12-07')).toBe(true);
    expect(followUpOverdue(null, '2026-12-07')).toBe(false);
  });

  it('misses a vote only on an open proposal whose electorate holds the reader without a choice', () => {
    const electors = [
      { staffId: 'a', choice: null },
      { staffId: 'b', choice: 'AGREE' },
    ];
    expect(voteMissing({ status: 'OPEN' }, electors, 'a')).toBe(true);
    expect(voteMissing({ status: 'OPEN' }, electors, 'b')).toBe(false);
    expect(voteMissing({ status: 'OPEN' }, electors, 'c')).toBe(false);
    expect(voteMissing({ status: 'APPROVED' }, electors, 'a')).toBe(false);
  });

  it('measures ACT caseloads against 1:10, for the team and for each member by their share of full time', () => {
    expect(teamCaseloadFigures(17, 1.5)).toEqual({
      persons: 17,
      staffFte: 1.5,
      personsPerFte: 11.3,
      withinFidelityTarget: false,
      maxPersonsPerFte: 10,
    });
    expect(teamCaseloadFigures(3, 0)).toMatchObject({ personsPerFte: null, withinFidelityTarget: false });
    expect(memberCaseloadFigures(5, 0.5)).toEqual({ persons: 5, maxPersons: 5, withinFidelityTarget: true });
    expect(memberCaseloadFigures(6, 0.5)).toEqual({ persons: 6, maxPersons: 5, withinFidelityTarget: false });
  });
});
