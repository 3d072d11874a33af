import {
  deriveReminders,
  personMeetingText,
  quietUntil,
  ReminderFacts,
  ReminderRule,
  SipPlanStatus,
  staffEmail,
  staffSms,
  stockholmInstant,
} from '../../libs/domain/src';

const settings = { timeOfDay: '08:00', caseCheckDays: 14, lvmPreAssessmentDays: 3, noContactDays: 30 };
const person = '00000000-0000-4000-8000-00000000000a';
const none: ReminderFacts = {
  personId: person,
  plans: [],
  consents: [],
  meetings: [],
  openProposals: [],
  caseStartedOn: null,
  childrenQuestionAnswered: true,
  relativesIdentified: true,
  violenceAssessed: true,
  lvmReportWithoutPreAssessmentOn: null,
  lastContactAt: null,
  actTeam: null,
};
const now = new Date('2026-11-23T10:00:00Z'); // 11:00 in Stockholm
const rules = (facts: Partial<ReminderFacts>, at = now) =>
  deriveReminders({ ...none, ...facts }, settings, at).map((o) => `${o.rule}@${o.dueAt.toISOString()}`);

describe('reminder rules', () => {
  it('derives nothing for a person with nothing pending', () => {
    expect(rules({})).toEqual([]);
  });

  it('follow-up: 7 days and 1 day before, and the day after, at 08:00 Swedish time (winter and summer)', () => {
    expect(
      rules({ plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2026-12-10', consentValidUntil: null }] }),
    ).toEqual([
      'FOLLOW_UP_IN_7_DAYS@2026-12-03T07:00:00.000Z',
      'FOLLOW_UP_TOMORROW@2026-12-09T07:00:00.000Z',
      'FOLLOW_UP_OVERDUE@2026-12-11T07:00:00.000Z',
    ]);
    expect(
      rules({
        plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2027-06-10', consentValidUntil: null }],
      })[0],
    ).toBe('FOLLOW_UP_IN_7_DAYS@2027-06-03T06:00:00.000Z');
  });

  it('a closed plan reminds of nothing; an approaching stage already passed is not derived, the overdue one is', () => {
    expect(
      rules({
        plans: [{ id: 'p', status: SipPlanStatus.CLOSED, followUpOn: '2026-12-10', consentValidUntil: '2026-12-10' }],
      }),
    ).toEqual([]);
    // Follow-up tomorrow: the 7-day note is pointless, the 1-day note was due at 08:00 today (3 h ago: over the late limit).
    expect(
      rules({ plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2026-11-24', consentValidUntil: null }] }),
    ).toEqual(['FOLLOW_UP_OVERDUE@2026-11-25T07:00:00.000Z']);
    // Follow-up was yesterday: overdue is due now (a condition, derived for as long as it holds).
    expect(
      rules({ plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2026-11-21', consentValidUntil: null }] }),
    ).toEqual(['FOLLOW_UP_OVERDUE@2026-11-22T07:00:00.000Z']);
  });

  it('the key names rule, subject and due moment, so a moved date is a new occurrence', () => {
    const a = deriveReminders(
      {
        ...none,
        plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2026-12-10', consentValidUntil: null }],
      },
      settings,
      now,
    );
    const b = deriveReminders(
      {
        ...none,
        plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: '2026-12-11', consentValidUntil: null }],
      },
      settings,
      now,
    );
    expect(a[0].key).toBe('FOLLOW_UP_IN_7_DAYS.p.2026-12-03T070000Z');
    expect(a.map((o) => o.key)).not.toEqual(expect.arrayContaining([b[0].key]));
    expect(a[0].key).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('consent: 30 days before it ends, and the day after', () => {
    expect(
      rules({ plans: [{ id: 'p', status: SipPlanStatus.ACTIVE, followUpOn: null, consentValidUntil: '2027-01-31' }] }),
    ).toEqual(['CONSENT_EXPIRES_IN_30_DAYS@2027-01-01T07:00:00.000Z', 'CONSENT_EXPIRED@2027-02-01T07:00:00.000Z']);
  });

  it('recorded consents: reminded 30 days before they end and the day after', () => {
    expect(rules({ consents: [{ id: 'c', validTo: '2027-01-31' }] })).toEqual([
      'CONSENT_EXPIRES_IN_30_DAYS@2027-01-01T07:00:00.000Z',
      'CONSENT_EXPIRED@2027-02-01T07:00:00.000Z',
    ]);
  });

  it('a consent ending in less than 30 days is warned of at once, as one occurrence however often it is derived', () => {
    const soon = { consents: [{ id: 'c', validTo: '2026-12-05' }] };
    expect(rules(soon)).toEqual([
      `CONSENT_EXPIRES_IN_30_DAYS@${now.toISOString()}`,
      'CONSENT_EXPIRED@2026-12-06T07:00:00.000Z',
    ]);
    const later = new Date(now.getTime() + 3_600_000 * 5);
    const keys = (at: Date) => deriveReminders({ ...none, ...soon }, settings, at).map((o) => o.key);
    expect(keys(later)).toEqual(keys(now));
    // Once it has ended, only the "expired" notice.
    expect(rules(soon, new Date('2026-12-06T12:00:00Z'))).toEqual(['CONSENT_EXPIRED@2026-12-06T07:00:00.000Z']);
  });

  it('meetings: a summons now, then the day before and two hours before; a cancelled meeting tells only if summoned', () => {
    const startsAt = new Date('2026-11-26T09:00:00Z');
    expect(rules({ meetings: [{ id: 'm', startsAt, status: 'PLANNED', summoned: false, announced: 'a1' }] })).toEqual([
      `MEETING_SUMMONS@${now.toISOString()}`,
      'MEETING_TOMORROW@2026-11-25T09:00:00.000Z',
      'MEETING_IN_2_HOURS@2026-11-26T07:00:00.000Z',
    ]);
    expect(rules({ meetings: [{ id: 'm', startsAt, status: 'CANCELLED', summoned: true, announced: 'a1' }] })).toEqual([
      `MEETING_CANCELLED@${now.toISOString()}`,
    ]);
    expect(rules({ meetings: [{ id: 'm', startsAt, status: 'CANCELLED', summoned: false, announced: 'a1' }] })).toEqual(
      [],
    );
    // Planned this morning for this afternoon: the summons and the two-hour note, not yesterday's "tomorrow".
    expect(
      rules({
        meetings: [
          { id: 'm', startsAt: new Date('2026-11-23T15:00:00Z'), status: 'PLANNED', summoned: false, announced: 'a1' },
        ],
      }).map((r) => r.split('@')[0]),
    ).toEqual(['MEETING_SUMMONS', 'MEETING_IN_2_HOURS']);
  });

  it('a summons is a new occurrence when the meeting moves or what it announces changes; the later reminders are not', () => {
    const meeting = {
      id: 'm',
      startsAt: new Date('2026-11-26T09:00:00Z'),
      status: 'PLANNED' as const,
      summoned: true,
      announced: 'a1',
    };
    const keys = (m: typeof meeting) => deriveReminders({ ...none, meetings: [m] }, settings, now).map((o) => o.key);
    const [summons, tomorrow, twoHours] = keys(meeting);
    expect(keys({ ...meeting, announced: 'b2' })).toEqual([
      expect.not.stringMatching(`^${summons}$`),
      tomorrow,
      twoHours,
    ]);
    expect(keys({ ...meeting, startsAt: new Date('2026-11-27T09:00:00Z') })[0]).not.toBe(summons);
    expect(keys({ ...meeting })).toEqual([summons, tomorrow, twoHours]);
  });

  it('open proposals: 48 and 24 hours before the deadline', () => {
    expect(rules({ openProposals: [{ id: 'x', deadline: new Date('2026-11-30T12:00:00Z') }] })).toEqual([
      'VOTES_MISSING_48_HOURS@2026-11-28T12:00:00.000Z',
      'VOTES_MISSING_24_HOURS@2026-11-29T12:00:00.000Z',
    ]);
  });

  it('legal checks: only while a case is open, each until done; LVM from the report', () => {
    expect(rules({ childrenQuestionAnswered: false, relativesIdentified: false, violenceAssessed: false })).toEqual([]);
    const open = rules({
      caseStartedOn: '2026-11-20',
      childrenQuestionAnswered: false,
      relativesIdentified: false,
      violenceAssessed: true,
      lastContactAt: now,
    });
    expect(open).toEqual([
      'CHILDREN_QUESTION_UNANSWERED@2026-12-04T07:00:00.000Z',
      'RELATIVES_NOT_IDENTIFIED@2026-12-04T07:00:00.000Z',
      `NO_CONTACT@${new Date(now.getTime() + 30 * 86_400_000).toISOString()}`,
    ]);
    expect(rules({ lvmReportWithoutPreAssessmentOn: '2026-11-22' })).toEqual([
      'LVM_PRE_ASSESSMENT_MISSING@2026-11-25T07:00:00.000Z',
    ]);
  });

  it('history entered after the fact: nothing that fell due over a day before its record; a condition due at once waits five minutes', () => {
    const recorded = now; // 2026-11-23 10:00 UTC
    // An LVM report from last week, imported today: its pre-assessment fell due days before the record existed.
    expect(rules({ lvmReportWithoutPreAssessmentOn: '2026-11-15', lvmReportRecordedAt: recorded })).toEqual([]);
    // A report from three days ago, entered today: due at 08:00 today, two hours before the record; sent five
    // minutes after the record, so a pre-assessment entered right after it cancels it first.
    const settled = deriveReminders(
      { ...none, lvmReportWithoutPreAssessmentOn: '2026-11-20', lvmReportRecordedAt: recorded },
      settings,
      now,
    );
    expect(settled.map((o) => `${o.rule}@${o.dueAt.toISOString()}`)).toEqual([
      'LVM_PRE_ASSESSMENT_MISSING@2026-11-23T10:05:00.000Z',
    ]);
    // Keyed by the nominal moment: derived again later it is the same occurrence.
    expect(settled[0].key).toBe('LVM_PRE_ASSESSMENT_MISSING.00000000-0000-4000-8000-00000000000a.2026-11-23T070000Z');
    expect(
      deriveReminders(
        { ...none, lvmReportWithoutPreAssessmentOn: '2026-11-20', lvmReportRecordedAt: recorded },
        settings,
        new Date(now.getTime() + 60_000),
      )[0].key,
    ).toBe(settled[0].key);
    // A report entered the day it was made: due in three days as always.
    expect(rules({ lvmReportWithoutPreAssessmentOn: '2026-11-23', lvmReportRecordedAt: recorded })).toEqual([
      'LVM_PRE_ASSESSMENT_MISSING@2026-11-26T07:00:00.000Z',
    ]);
    // An earlier consent that ended months ago, and an old case with its last contact long past: history.
    expect(rules({ consents: [{ id: 'c', validTo: '2026-06-30', recordedAt: recorded }] })).toEqual([]);
    expect(
      rules({
        caseStartedOn: '2026-01-10',
        caseRecordedAt: recorded,
        childrenQuestionAnswered: false,
        lastContactAt: new Date('2026-05-01T10:00:00Z'),
        lastContactRecordedAt: recorded,
      }),
    ).toEqual([]);
    // The same facts entered when they happened are reminded of as before.
    expect(
      rules({ consents: [{ id: 'c', validTo: '2026-06-30', recordedAt: new Date('2026-01-10T09:00:00Z') }] }),
    ).toEqual(['CONSENT_EXPIRED@2026-07-01T06:00:00.000Z']);
  });

  it('no contact: counted from the last contact, with the ACT team’s own interval', () => {
    const last = new Date('2026-11-20T13:00:00Z');
    expect(rules({ actTeam: { since: '2026-01-01', noContactDays: 5 }, lastContactAt: last })).toEqual([
      'NO_CONTACT@2026-11-25T13:00:00.000Z',
    ]);
    expect(rules({ actTeam: { since: '2026-11-01', noContactDays: 5 } })).toEqual([
      `NO_CONTACT@${new Date(stockholmInstant('2026-11-01', '08:00').getTime() + 5 * 86_400_000).toISOString()}`,
    ]);
  });

  it('e-mail and SMS to staff name no rule: the same words for every reminder of the same urgency, in the chosen language', () => {
    const link = 'https://samverka.example/notifications';
    const texts = (locale: 'sv' | 'en') =>
      new Set(
        Object.values(ReminderRule).map((rule) =>
          JSON.stringify([staffEmail(rule, locale, link), staffSms(rule, locale, link)]),
        ),
      );
    expect(texts('sv').size).toBe(2);
    expect(texts('en').size).toBe(2);
    expect(staffSms(ReminderRule.NO_CONTACT, 'sv', link)).toBe(`Samverka: påminnelse. ${link}`);
    expect(staffSms(ReminderRule.NO_CONTACT, 'en', link)).toBe(`Samverka: reminder. ${link}`);
  });

  it("messages to the person are in the person's language: what for, when and where, who will be there and whom to call; nothing about care", () => {
    const meeting = { startsAt: new Date('2026-12-14T09:00:00Z'), location: 'Farsta, rum 3' };
    const people = {
      contact: { name: 'Elin Bergkvist', phone: '08-508 00 000' },
      participants: ['Elin', 'Leila', 'Sara'],
    };
    expect(personMeetingText(ReminderRule.MEETING_SUMMONS, 'sv', meeting)).toMatch(
      /^Du är kallad till ett möte om din plan \(SIP\) måndag 14 december (kl\. )?10:00, plats: Farsta, rum 3\. Välkommen!$/,
    );
    expect(personMeetingText(ReminderRule.MEETING_SUMMONS, 'en', meeting)).toMatch(
      /^You are invited to a meeting about your plan \(SIP\) on Monday 14 December (at )?10:00 at Farsta, rum 3\. Welcome!$/,
    );
    expect(personMeetingText(ReminderRule.MEETING_SUMMONS, 'sv', { ...meeting, ...people })).toMatch(
      /^Du är kallad till ett möte om din plan \(SIP\) måndag 14 december (kl\. )?10:00, plats: Farsta, rum 3\. Du träffar Elin, Leila och Sara\. Frågor\? Ring Elin Bergkvist, 08-508 00 000\. Välkommen!$/,
    );
    expect(
      personMeetingText(ReminderRule.MEETING_SUMMONS, 'en', {
        ...meeting,
        ...people,
        contact: { name: 'Elin Bergkvist', phone: null },
      }),
    ).toMatch(/ at Farsta, rum 3\. You will meet Elin, Leila and Sara\. Questions\? Ask Elin Bergkvist\. Welcome!$/);
    // A reminder names whom to call, not again who comes.
    expect(personMeetingText(ReminderRule.MEETING_TOMORROW, 'sv', { ...meeting, ...people })).toMatch(
      /^Påminnelse: du har ett möte .*, plats: Farsta, rum 3\. Frågor\? Ring Elin Bergkvist, 08-508 00 000\. Välkommen!$/,
    );
    expect(personMeetingText(ReminderRule.MEETING_CANCELLED, 'en', { ...meeting, location: null })).toMatch(
      /^Your meeting on .* \(a place your contact person will tell you\) is cancelled\./,
    );
  });
});

describe('quiet hours', () => {
  const at = (hhmm: string) => stockholmInstant('2026-11-23', hhmm);
  it('lets messages through outside quiet hours and holds them inside until the end', () => {
    expect(quietUntil(null, at('23:00'))).toBeNull();
    expect(quietUntil({ from: '22:00', to: '07:00' }, at('12:00'))).toBeNull();
    expect(quietUntil({ from: '22:00', to: '07:00' }, at('23:30'))).toEqual(stockholmInstant('2026-11-24', '07:00'));
    expect(quietUntil({ from: '22:00', to: '07:00' }, at('05:00'))).toEqual(stockholmInstant('2026-11-23', '07:00'));
    expect(quietUntil({ from: '12:00', to: '13:00' }, at('12:30'))).toEqual(at('13:00'));
    expect(quietUntil({ from: '12:00', to: '13:00' }, at('13:00'))).toBeNull();
  });
});
