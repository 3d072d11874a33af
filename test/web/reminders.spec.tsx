/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../apps/web/src/api/client';
import type {
  NotificationFieldsFragment,
  PersonRemindersQuery,
  SipMeetingFieldsFragment,
  SipMeetingsQuery,
} from '../../apps/web/src/api/generated';
import { NotificationsPage } from '../../apps/web/src/pages/notifications-page';
import { RemindersCard } from '../../apps/web/src/pages/reminders-card';
import { SettingsPage } from '../../apps/web/src/pages/settings-page';
import { SipMeetingsCard } from '../../apps/web/src/pages/sip-meetings';
import './dialog-polyfill';
import { renderPage } from './render';

const members = [
  {
    id: 'm1',
    staff: {
      id: 'staff-1',
      givenName: 'Elin',
      familyName: 'Bergkvist',
      profession: 'SOCIAL_WORKER' as const,
      phone: '08-508 000 01',
      organisation: { name: 'Farsta' },
    },
  },
  {
    id: 'm2',
    staff: {
      id: 'staff-2',
      givenName: 'Sara',
      familyName: 'Holmgren',
      profession: 'NURSE' as const,
      phone: null,
      organisation: { name: 'Psykiatri Söder' },
    },
  },
];
const plannedMeeting: SipMeetingFieldsFragment = {
  id: 'meeting-1',
  startsAt: '2030-03-04T09:00:00Z',
  location: 'Farsta, rum 2',
  status: 'PLANNED',
  invitePerson: true,
  personAttended: null,
  minutes: null,
  createdBy: 'staff-1',
  participants: [
    { staffId: 'staff-1', attended: null },
    { staffId: 'staff-2', attended: null },
  ],
  relatives: [],
};
const meetingsOf = (sipMeetings: SipMeetingFieldsFragment[], language: 'SV' | 'EN' = 'SV'): SipMeetingsQuery => ({
  person: {
    id: 'p1',
    givenName: 'Lena',
    familyName: 'Sandberg',
    preferredLanguage: language,
    protectedIdentity: 'NONE',
    sipMeetings,
    collaborationGroup: {
      coordinator: { id: 'staff-2', givenName: 'Sara', familyName: 'Holmgren', phone: null },
      members,
    },
    relatives: [],
  },
});

describe('SIP meetings', () => {
  it('plans a meeting with the chosen participants, and shows a refused time at the date field', async () => {
    let attempts = 0;
    const { api } = renderPage(<SipMeetingsCard personId="p1" />, {
      SipMeetings: () => meetingsOf(attempts < 2 ? [] : [plannedMeeting]),
      PlanSipMeeting: () =>
        ++attempts === 1
          ? new ApiError(
              'invalid',
              'A meeting is planned for a time in the future',
              [{ field: 'startsAt', constraint: 'MEETING_IN_PAST', params: {} }],
              'BAD_USER_INPUT',
              'MEETING_IN_PAST',
            )
          : { planSipMeeting: plannedMeeting },
    });
    expect(await screen.findByText('Inga möten planerade.')).toBeInTheDocument();
    // The form opens in a dialog, behind its button.
    fireEvent.click(screen.getByRole('button', { name: 'Planera ett möte' }));
    const submit = screen.getByRole('button', { name: 'Planera mötet' });
    const startsAt = screen.getByLabelText('Datum och tid');
    // No time chosen: said at the field, nothing sent.
    fireEvent.click(submit);
    await waitFor(() => expect(startsAt).toHaveAccessibleDescription('Ange datum och tid.'));
    expect(api.calls.filter((c) => c.operation === 'PlanSipMeeting')).toHaveLength(0);

    fireEvent.change(startsAt, { target: { value: '2030-03-04T10:00' } });
    fireEvent.change(screen.getByLabelText('Plats'), { target: { value: ' Farsta, rum 2 ' } });
    // The planner is chosen already; the nurse is added; the person is not summoned this time.
    expect(screen.getByRole('checkbox', { name: /Elin Bergkvist/ })).toBeChecked();
    fireEvent.click(screen.getByRole('checkbox', { name: /Sara Holmgren/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Kalla personen/ }));
    fireEvent.click(submit);
    await waitFor(() => expect(startsAt).toHaveAccessibleDescription('Mötet måste ligga framåt i tiden.'));
    expect(startsAt).toHaveAttribute('aria-invalid', 'true');
    const sent = api.calls.find((c) => c.operation === 'PlanSipMeeting')!.variables as any;
    expect(sent.input).toEqual({
      personId: 'p1',
      // 10:00 in Sweden (winter time, UTC+1), whatever the zone the test runs in.
      startsAt: '2030-03-04T09:00:00.000Z',
      location: 'Farsta, rum 2',
      participantStaffIds: ['staff-1', 'staff-2'],
      participantRelativeIds: [],
      invitePerson: false,
    });

    fireEvent.click(submit);
    expect(await screen.findByText('Mötet är planerat och kallelser skickas.')).toBeInTheDocument();
    const meeting = await screen.findByTestId('meeting');
    expect(meeting).toHaveTextContent('Planerat');
    expect(meeting).toHaveTextContent('Elin Bergkvist, Sara Holmgren');
    expect(meeting).toHaveTextContent('personen kallad');
  });

  it('records a planned meeting held with minutes and who attended', async () => {
    const held = {
      ...plannedMeeting,
      status: 'HELD' as const,
      minutes: 'Agreed on weekly visits.',
      personAttended: true,
      participants: [
        { staffId: 'staff-1', attended: true },
        { staffId: 'staff-2', attended: false },
      ],
    };
    let done = false;
    const { api } = renderPage(<SipMeetingsCard personId="p1" />, {
      SipMeetings: () => meetingsOf([done ? held : plannedMeeting]),
      RecordSipMeetingHeld: () => {
        done = true;
        return { recordSipMeetingHeld: held };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Registrera som hållet' }));
    const form = screen.getByRole('dialog', { name: 'Registrera som hållet' });
    fireEvent.change(within(form).getByLabelText('Minnesanteckningar'), {
      target: { value: 'Agreed on weekly visits.' },
    });
    fireEvent.click(within(form).getByRole('checkbox', { name: /Sara Holmgren/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Spara anteckningar och närvaro' }));
    await waitFor(() => expect(screen.getByTestId('meeting')).toHaveTextContent('Hållet'));
    expect(api.calls.find((c) => c.operation === 'RecordSipMeetingHeld')!.variables).toEqual({
      id: 'meeting-1',
      input: {
        minutes: 'Agreed on weekly visits.',
        attendedStaffIds: ['staff-1'],
        attendedRelativeIds: [],
        personAttended: true,
      },
    });
    const meeting = screen.getByTestId('meeting');
    expect(meeting).toHaveTextContent('Elin Bergkvist (närvarade), Sara Holmgren (frånvarande)');
    expect(meeting).toHaveTextContent('Agreed on weekly visits.');
    expect(within(meeting).queryByRole('button')).not.toBeInTheDocument();
  });

  it('cancels only after a second confirmation, and moves a meeting sending only what changed', async () => {
    const { api } = renderPage(<SipMeetingsCard personId="p1" />, {
      SipMeetings: meetingsOf([plannedMeeting]),
      CancelSipMeeting: new ApiError('invalid', 'The meeting is cancelled', [], 'INVALID_STATE', 'MEETING_CLOSED', {
        status: 'CANCELLED',
      }),
      RescheduleSipMeeting: { rescheduleSipMeeting: plannedMeeting },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Ställ in mötet' }));
    expect(api.calls.some((c) => c.operation === 'CancelSipMeeting')).toBe(false);
    const confirm = screen.getByRole('dialog', { name: 'Ställ in mötet' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Ställ in mötet' }));
    expect(await within(confirm).findByRole('alert')).toHaveTextContent('Mötet är redan hållet eller inställt.');
    expect(api.calls.find((c) => c.operation === 'CancelSipMeeting')!.variables).toEqual({ id: 'meeting-1' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Behåll mötet' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    fireEvent.click(screen.getByRole('button', { name: 'Flytta eller ändra' }));
    const form = screen.getByRole('dialog', { name: 'Flytta eller ändra' });
    fireEvent.change(within(form).getByLabelText('Plats'), { target: { value: 'Stadsmissionen' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
    await waitFor(() => expect(api.calls.some((c) => c.operation === 'RescheduleSipMeeting')).toBe(true));
    expect(api.calls.find((c) => c.operation === 'RescheduleSipMeeting')!.variables).toEqual({
      id: 'meeting-1',
      input: {
        startsAt: null,
        location: 'Stadsmissionen',
        participantStaffIds: ['staff-1', 'staff-2'],
        participantRelativeIds: [],
      },
    });
  });
});

const params = (
  over: Partial<NonNullable<NotificationFieldsFragment['params']>>,
): NotificationFieldsFragment['params'] => ({
  proposalTitle: null,
  closeReason: null,
  endingReason: null,
  episodeKind: null,
  principal: null,
  votingRepresentative: null,
  membershipChange: null,
  validFrom: null,
  validTo: null,
  date: null,
  startsAt: null,
  appointmentNote: null,
  ...over,
});
const notification = (over: Partial<NotificationFieldsFragment>): NotificationFieldsFragment => ({
  id: 'n1',
  kind: 'MEETING_SUMMONS',
  params: params({ startsAt: '2030-03-04T09:00:00Z' }),
  personId: 'p1',
  createdAt: '2026-11-20T10:00:00Z',
  readAt: null,
  ...over,
});

describe('notifications, live', () => {
  it('reads the inbox again when a notification arrives, with a friendly label and the badge', async () => {
    let inbox: NotificationFieldsFragment[] = [];
    const { api } = renderPage(<NotificationsPage />, {
      Notifications: () => ({ notifications: inbox, unreadNotificationCount: inbox.filter((n) => !n.readAt).length }),
      InboxPersons: {
        caseload: { edges: [{ node: { person: { id: 'p1', givenName: 'Lena', familyName: 'Sandberg' } } }] },
      },
    });
    expect(await screen.findByText('Inga notiser.')).toBeInTheDocument();
    inbox = [notification({})];
    act(() => {
      expect(api.emit('NotificationReceived', { notificationReceived: inbox[0] })).toBe(1);
    });
    // The kind in words, and the moment it is about from its parameters.
    const item = (await screen.findByText('Kallelse till SIP-möte', { selector: 'strong' })).closest('li')!;
    expect(within(item).getByText(/^Gäller .*2030/)).toBeInTheDocument();
    expect(within(item).getByRole('link', { name: 'Lena Sandberg' })).toHaveAttribute('href', '/persons/p1');
    expect(screen.getByRole('link', { name: /Notiser/ })).toHaveTextContent('1');
    // No polling: two reads in all, the first and the one after the event.
    expect(api.calls.filter((c) => c.operation === 'Notifications')).toHaveLength(2);
    // A notification that arrived while the connection was down is read when it comes back.
    inbox = [notification({ id: 'n2', kind: 'MEETING_CANCELLED' }), ...inbox];
    act(() => api.reconnected());
    expect(await screen.findByText('SIP-mötet är inställt', { selector: 'strong' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('link', { name: /Notiser/ })).toHaveTextContent('2'));
  });

  it('filters to unread with the API, and marks all read at once', async () => {
    let allRead = false;
    const list = () => [
      notification({ readAt: allRead ? '2026-11-21T10:00:00Z' : null }),
      notification({
        id: 'n2',
        kind: 'PROPOSAL_APPROVED',
        params: params({ proposalTitle: 'X', closeReason: 'ALL_AGREED' }),
        readAt: '2026-11-20T11:00:00Z',
      }),
      notification({ id: 'n3', kind: 'SOMETHING_NEW' as never, params: null }),
    ];
    const { api } = renderPage(<NotificationsPage />, {
      Notifications: (v: { unreadOnly: boolean }) => {
        const all = list();
        const unread = all.filter((n) => !n.readAt);
        return { notifications: v.unreadOnly ? unread : all, unreadNotificationCount: unread.length };
      },
      MarkAllNotificationsRead: () => {
        allRead = true;
        return { markAllNotificationsRead: 1 };
      },
    });
    expect(await screen.findByText('Förslaget godkändes')).toBeInTheDocument();
    // A kind the client does not know yet is still shown, as a plain notification.
    const unknown = document.querySelector('li[data-kind="SOMETHING_NEW"]') as HTMLElement;
    expect(within(unknown).getByText('Notis')).toBeInTheDocument();
    // A person not on my caseload has no name here, only the link.
    expect(within(unknown).getByRole('link', { name: 'Öppna personen' })).toHaveAttribute('href', '/persons/p1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Visa bara olästa' }));
    await waitFor(() => expect(screen.queryByText('Förslaget godkändes')).not.toBeInTheDocument());
    expect(
      api.calls.some((c) => c.operation === 'Notifications' && (c.variables as { unreadOnly: boolean }).unreadOnly),
    ).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Markera alla som lästa' }));
    await waitFor(() =>
      expect(screen.queryByText('Kallelse till SIP-möte', { selector: 'strong' })).not.toBeInTheDocument(),
    );
    expect(api.calls.filter((c) => c.operation === 'MarkAllNotificationsRead')).toHaveLength(1);
    expect(document.querySelector('li[data-kind="SOMETHING_NEW"]')).not.toBeNull();
  });

  it('prints an appointment note and only the note', async () => {
    const appointmentNote = 'Du är kallad till ett möte måndag 4 mars 10:00, plats: Farsta. Välkommen!';
    renderPage(<NotificationsPage />, {
      Notifications: {
        notifications: [notification({ params: params({ appointmentNote }) }), notification({ id: 'n2' })],
        unreadNotificationCount: 2,
      },
    });
    const print = await screen.findByRole('button', { name: 'Skriv ut lappen' });
    expect(screen.getAllByRole('button', { name: 'Skriv ut lappen' })).toHaveLength(1);
    const during: Array<{ body: boolean; target: string | null | undefined }> = [];
    const original = window.print;
    window.print = () => {
      during.push({
        body: document.body.classList.contains('printing-note'),
        target: document.querySelector('.print-target')?.textContent,
      });
    };
    try {
      fireEvent.click(print);
    } finally {
      window.print = original;
    }
    expect(during).toEqual([
      {
        body: true,
        target: 'Lapp att lämna till personenDu är kallad till ett möte måndag 4 mars 10:00, plats: Farsta. Välkommen!',
      },
    ]);
    window.dispatchEvent(new Event('afterprint'));
    expect(document.body.classList.contains('printing-note')).toBe(false);
    expect(document.querySelector('.print-target')).toBeNull();
  });
});

describe('the summons for the person', () => {
  it("says what the meeting is for, when, where, who comes and whom to call, in the person's language, and prints alone", async () => {
    renderPage(<SipMeetingsCard personId="p1" />, { SipMeetings: () => meetingsOf([plannedMeeting]) });
    fireEvent.click(await screen.findByRole('button', { name: 'Kallelse till personen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kallelse till personen' });
    const summons = within(dialog).getByRole('article');
    expect(summons).toHaveAttribute('lang', 'sv');
    expect(within(summons).getByRole('heading', { name: 'Kallelse till SIP-möte' })).toBeInTheDocument();
    expect(summons).toHaveTextContent('Till Lena Sandberg');
    expect(summons).toHaveTextContent('Vi går igenom din plan (SIP) tillsammans');
    expect(summons).toHaveTextContent('Farsta, rum 2');
    expect(summons).toHaveTextContent('Elin Bergkvist, socialsekreterare, Farsta');
    expect(summons).toHaveTextContent('Sara Holmgren, sjuksköterska, Psykiatri Söder');
    // Whom to call: the planner, with her phone.
    expect(summons).toHaveTextContent('Ring Elin Bergkvist, 08-508 000 01.');
    const during: Array<string | null | undefined> = [];
    const original = window.print;
    window.print = () =>
      during.push(
        document.body.classList.contains('printing-note') ? document.querySelector('.print-target')?.textContent : null,
      );
    try {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Skriv ut kallelsen' }));
    } finally {
      window.print = original;
    }
    expect(during).toHaveLength(1);
    expect(during[0]).toContain('Kallelse till SIP-möte');
    expect(during[0]).not.toContain('Skriv ut kallelsen');
    window.dispatchEvent(new Event('afterprint'));
    expect(document.body.classList.contains('printing-note')).toBe(false);
  });

  it("is in English for a person whose language is English, whatever the reader's", async () => {
    renderPage(<SipMeetingsCard personId="p1" />, { SipMeetings: () => meetingsOf([plannedMeeting], 'EN') });
    fireEvent.click(await screen.findByRole('button', { name: 'Kallelse till personen' }));
    const summons = within(await screen.findByRole('dialog', { name: 'Kallelse till personen' })).getByRole('article');
    expect(summons).toHaveAttribute('lang', 'en');
    expect(summons).toHaveTextContent('Invitation to a SIP meeting');
    expect(summons).toHaveTextContent('Who will be there');
    expect(summons).toHaveTextContent('Call Elin Bergkvist, 08-508 000 01.');
  });
});

describe('reminders and legal checks', () => {
  const reminders = (checks: PersonRemindersQuery['person']['caseChecks']): PersonRemindersQuery => ({
    person: {
      id: 'p1',
      upcomingReminders: checks.length
        ? []
        : [
            {
              rule: 'RELATIVES_NOT_IDENTIFIED',
              dueAt: '2026-12-01T07:00:00Z',
              subjectId: 'p1',
              subject: 'CASE_CHECK',
              eventAt: null,
              eventOn: null,
            },
            {
              rule: 'MEETING_TOMORROW',
              dueAt: '2026-12-11T09:00:00Z',
              subjectId: 'm1',
              subject: 'SIP_MEETING',
              eventAt: '2026-12-12T09:00:00Z',
              eventOn: null,
            },
            {
              rule: 'FOLLOW_UP_IN_7_DAYS',
              dueAt: '2026-12-08T07:00:00Z',
              subjectId: 'plan-1',
              subject: 'FOLLOW_UP',
              eventAt: null,
              eventOn: '2026-12-15',
            },
          ],
      caseChecks: checks,
    },
  });

  it('lists reminders by name, records a check, and shows a refused date at its field', async () => {
    let recorded = false;
    let attempts = 0;
    const { api } = renderPage(<RemindersCard personId="p1" />, {
      PersonReminders: () =>
        reminders(
          recorded ? [{ id: 'c1', kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-11-20', note: 'Sister in Malmö' }] : [],
        ),
      RecordCaseCheck: (v: { input: { doneOn: string } }) => {
        if (++attempts === 1)
          return new ApiError(
            'invalid',
            'A check cannot be recorded as done in the future',
            [{ field: 'doneOn', constraint: 'CHECK_IN_FUTURE', params: {} }],
            'BAD_USER_INPUT',
            'CHECK_IN_FUTURE',
          );
        recorded = true;
        return {
          recordCaseCheck: { id: 'c1', kind: 'RELATIVES_IDENTIFIED', doneOn: v.input.doneOn, note: 'Sister in Malmö' },
        };
      },
    });
    const upcoming = await screen.findByRole('region', { name: 'Kommande påminnelser' });
    expect(upcoming).toHaveTextContent('Anhöriga är inte identifierade');
    // Each says what it is about and when that happens, then when the reminder goes out.
    const items = within(upcoming).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^Ska vara gjord senast 1 dec\. 2026/);
    expect(items[1]).toHaveTextContent(
      /^SIP-möte 12 dec\. 2026 \d{2}:00SIP-möte i morgon · påminnelsen skickas 11 dec\. 2026 \d{2}:00/,
    );
    expect(items[2]).toHaveTextContent(/^Uppföljning 15 dec\. 2026/);
    const checks = screen.getByRole('region', { name: 'Lagstadgade kontroller' });
    expect(checks).toHaveTextContent('Inga kontroller registrerade.');
    // The form opens behind a button, in a dialog.
    expect(screen.queryByLabelText('Gjord datum')).toBeNull();
    fireEvent.click(within(checks).getByRole('button', { name: 'Registrera en kontroll' }));
    const dialog = await screen.findByRole('dialog', { name: 'Registrera en kontroll' });
    fireEvent.change(within(dialog).getByLabelText('Gjord datum'), { target: { value: '2026-11-20' } });
    fireEvent.change(within(dialog).getByLabelText('Anteckning'), { target: { value: 'Sister in Malmö' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Spara kontrollen' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Gjord datum')).toHaveAccessibleDescription(
        'En kontroll kan inte vara gjord i framtiden.',
      ),
    );
    expect(within(dialog).getByLabelText('Gjord datum')).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Spara kontrollen' }));
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Lagstadgade kontroller' })).toHaveTextContent(
        'Anhöriga identifierade',
      ),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Kommande påminnelser' })).toHaveTextContent(
        'Inga påminnelser planerade.',
      ),
    );
    expect(api.calls.filter((c) => c.operation === 'RecordCaseCheck').map((c) => c.variables)).toEqual([
      { input: { personId: 'p1', kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-11-20', note: 'Sister in Malmö' } },
      { input: { personId: 'p1', kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-11-20', note: 'Sister in Malmö' } },
    ]);
  });
});

describe('my notification settings', () => {
  it('saves channels, language and quiet hours, and shows the API’s message at the quiet-hours field', async () => {
    let attempts = 0;
    const { api } = renderPage(<SettingsPage />, {
      MyNotificationPreferences: {
        myNotificationPreferences: { email: true, sms: false, locale: 'sv', quietFrom: null, quietTo: null },
      },
      SetNotificationPreferences: (v: { input: object }) =>
        ++attempts === 1
          ? new ApiError(
              'invalid',
              'Quiet hours need both a start and an end',
              [{ field: 'quietTo', constraint: 'QUIET_HOURS_INCOMPLETE', params: {} }],
              'BAD_USER_INPUT',
              'QUIET_HOURS_INCOMPLETE',
            )
          : { setNotificationPreferences: { ...v.input } },
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'SMS' }));
    fireEvent.change(screen.getByLabelText('Språk i e-post och SMS'), { target: { value: 'en' } });
    fireEvent.change(screen.getByLabelText('Från'), { target: { value: '21:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara inställningarna' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Till')).toHaveAccessibleDescription('Tysta timmar behöver både början och slut.'),
    );
    fireEvent.change(screen.getByLabelText('Till'), { target: { value: '07:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara inställningarna' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Sparat.');
    expect(api.calls.filter((c) => c.operation === 'SetNotificationPreferences').pop()!.variables).toEqual({
      input: { email: true, sms: true, locale: 'en', quietFrom: '21:00', quietTo: '07:00' },
    });
  });
});
