/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../apps/web/src/api/client';
import type { CaseloadQuery, DecisionsQuery, PlanEditorQuery, SipPlanStatus } from '../../apps/web/src/api/generated';
import { CaseloadPage } from '../../apps/web/src/pages/caseload-page';
import { DecisionsPage } from '../../apps/web/src/pages/decisions-page';
import { NotificationsPage } from '../../apps/web/src/pages/notifications-page';
import { PlanPage } from '../../apps/web/src/pages/plan-page';
import { TeamPage } from '../../apps/web/src/pages/team-page';
import { renderPage } from './render';

const caseload: CaseloadQuery = {
  caseload: {
    pageInfo: { hasNextPage: false, endCursor: null },
    edges: [
      {
        node: {
          personId: 'p1',
          planId: 'plan-1',
          planStatus: 'ACTIVE',
          nextFollowUpOn: '2026-01-05',
          followUpOverdue: true,
          daysSinceLastContact: 12,
          votesMissing: 1,
          reasons: ['COLLABORATION_GROUP'],
          person: {
            id: 'p1',
            givenName: 'Lena',
            familyName: 'Sandberg',
            temporaryReference: 'TMP-1',
            protectedIdentity: 'NONE',
            proposals: [
              { id: 'x', status: 'OPEN' },
              { id: 'y', status: 'APPROVED' },
            ],
          },
        },
      },
      {
        node: {
          personId: 'p2',
          planId: null,
          planStatus: null,
          nextFollowUpOn: null,
          followUpOverdue: false,
          daysSinceLastContact: null,
          votesMissing: 0,
          reasons: ['ACT_TEAM'],
          person: {
            id: 'p2',
            givenName: 'Stefan',
            familyName: 'Backman',
            temporaryReference: 'TMP-2',
            protectedIdentity: 'SKYDDAD_FOLKBOKFORING',
            proposals: [],
          },
        },
      },
    ],
  },
};

describe('caseload page', () => {
  it('lists each person with plan status, follow-up, open decisions and unread notifications', async () => {
    renderPage(<CaseloadPage />, {
      Caseload: caseload,
      Notifications: {
        notifications: [
          {
            id: 'n1',
            kind: 'VOTES_MISSING_24_HOURS',
            params: {},
            personId: 'p1',
            createdAt: '2026-01-01T10:00:00Z',
            readAt: null,
          },
        ],
        unreadNotificationCount: 1,
      },
    });
    const lena = (await screen.findByRole('link', { name: 'Lena Sandberg' })).closest('tr')!;
    const cells = within(lena).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('Fastställd');
    expect(cells[1]).toHaveTextContent('försenad');
    expect(cells[2]).toHaveTextContent('för 12 dagar sedan');
    expect(cells[3]).toHaveTextContent('1Din röst saknas');
    await waitFor(() => expect(cells[4]).toHaveTextContent('1'));
    const stefan = screen.getByRole('link', { name: 'Stefan Backman' }).closest('tr')!;
    expect(stefan).toHaveTextContent('Ingen plan');
    expect(stefan).toHaveTextContent('Skyddad identitet');
    // The unread badge in the header counts the same notification.
    expect(screen.getByRole('link', { name: /Notiser/ })).toHaveTextContent('1');
  });

  it('says when the server cannot be reached, and reads again on request', async () => {
    let attempts = 0;
    const { api } = renderPage(<CaseloadPage />, {
      Caseload: () => (++attempts === 1 ? new ApiError('connection', 'down') : caseload),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('Ingen kontakt med servern');
    fireEvent.click(screen.getByRole('button', { name: 'Försök igen' }));
    expect(await screen.findByRole('link', { name: 'Lena Sandberg' })).toBeInTheDocument();
    expect(api.calls.filter((c) => c.operation === 'Caseload')).toHaveLength(2);
  });

  it('reads the next page of persons on request', async () => {
    const second = {
      ...caseload.caseload.edges[0],
      node: {
        ...caseload.caseload.edges[0].node,
        personId: 'p3',
        person: { ...caseload.caseload.edges[0].node.person, id: 'p3', givenName: 'Malin', familyName: 'Åberg' },
      },
    };
    const { api } = renderPage(<CaseloadPage />, {
      Caseload: (v: { after?: string }) =>
        v.after === 'c'
          ? { caseload: { edges: [second], pageInfo: { hasNextPage: false, endCursor: 'd' } } }
          : { caseload: { ...caseload.caseload, pageInfo: { hasNextPage: true, endCursor: 'c' } } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Visa 200 till' }));
    expect(await screen.findByRole('link', { name: 'Malin Åberg' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Lena Sandberg' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Visa 200 till' })).toBeNull();
    expect(
      api.calls.filter((c) => c.operation === 'Caseload').map((c) => (c.variables as { after?: string }).after),
    ).toEqual([undefined, 'c']);
  });

  it('says when access is refused, in English when English is chosen', async () => {
    renderPage(<CaseloadPage />, { Caseload: new ApiError('forbidden', 'Forbidden') }, { language: 'en' });
    expect(await screen.findByRole('alert')).toHaveTextContent('You are not allowed to see this.');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('My persons');
  });
});

const plan = {
  id: 'plan-1',
  personId: 'p1',
  status: 'UNDER_REVISION' as SipPlanStatus,
  version: 3,
  followUpOn: '2026-12-05',
  consentGivenAt: '2026-08-25',
  consentValidUntil: '2027-08-25',
  personGoals: 'Keep the flat',
  overallResponsibilityPrincipal: 'MUNICIPALITY' as const,
  overallResponsibilityOrganisationId: 'org-m',
  overallResponsibilityOrganisation: { id: 'org-m', name: 'Farsta', principal: 'MUNICIPALITY' as const },
  needs: [{ id: 'n1', area: 'HOUSING' as const, description: 'Lost placements' }],
  interventions: [
    {
      id: 'i1',
      description: 'Housing First',
      status: 'ONGOING' as const,
      responsiblePrincipal: 'MUNICIPALITY' as const,
      responsibleOrganisationId: 'org-m',
      needId: 'n1',
      mayUpdateStatus: true,
      responsibleOrganisation: { name: 'Farsta' },
    },
  ],
  otherMeasures: [],
  participants: [],
  followUps: [],
};
const snapshot = (over: Partial<typeof plan>) => {
  const { id: _i, personId: _p, version: _v, overallResponsibilityOrganisation: _o, ...content } = { ...plan, ...over };
  const { followUps: _f, ...withoutFollowUps } = content;
  return {
    ...withoutFollowUps,
    interventions: content.interventions.map(({ responsibleOrganisation: _o, mayUpdateStatus: _m, ...rest }) => rest),
  };
};
const planEditor: PlanEditorQuery = {
  person: {
    id: 'p1',
    givenName: 'Lena',
    familyName: 'Sandberg',
    collaborationGroup: {
      members: [
        {
          id: 'm1',
          principal: 'MUNICIPALITY',
          role: 'coordinator',
          staff: {
            id: 's1',
            givenName: 'Elin',
            familyName: 'B',
            organisationId: 'org-m',
            organisation: { id: 'org-m', name: 'Farsta', principal: 'MUNICIPALITY' },
          },
        },
      ],
    },
    relatives: [],
    currentSipPlan: {
      ...plan,
      versions: [
        {
          version: 3,
          adopted: false,
          approval: null,
          changedAt: '2026-11-02T10:00:00Z',
          changedBy: 's1',
          changes: ['personGoals'],
          snapshot: snapshot({}),
        },
        {
          version: 2,
          adopted: true,
          approval: null,
          changedAt: '2026-11-01T10:00:00Z',
          changedBy: 's1',
          changes: ['status'],
          snapshot: snapshot({ personGoals: 'Find a flat', needs: [], status: 'ACTIVE' }),
        },
        {
          version: 1,
          adopted: false,
          approval: null,
          changedAt: '2026-10-01T10:00:00Z',
          changedBy: 's1',
          changes: ['created'],
          snapshot: snapshot({ personGoals: 'Find a flat', needs: [], status: 'DRAFT' }),
        },
      ],
    },
  },
};

const noMeetings = {
  person: { id: 'p1', protectedIdentity: 'NONE', sipMeetings: [], collaborationGroup: { members: [] }, relatives: [] },
};

describe('SIP plan editor', () => {
  it('shows the difference between a revision and the one before it', async () => {
    renderPage(<PlanPage personId="p1" />, { PlanEditor: planEditor, SipMeetings: noMeetings });
    const history = await screen.findByRole('region', { name: 'Versionshistorik' });
    expect(within(history).getByRole('heading', { name: 'Jämför version 2 med 3' })).toBeInTheDocument();
    const lines = within(history)
      .getAllByRole('listitem')
      .filter((li) => li.className.startsWith('diff-'));
    expect(lines.map((l) => l.textContent)).toEqual([
      'Ändrat StatusFastställdUnder revidering',
      'Ändrat Personens egna mål (med personens ord)Find a flatKeep the flat',
      'Tillagt BehovBoende: Lost placements',
    ]);
    fireEvent.click(within(history).getByRole('button', { name: 'Version 2' }));
    expect(within(history).getByRole('heading', { name: 'Jämför version 1 med 2' })).toBeInTheDocument();
  });

  it('sends the edit with the version it was based on, and shows a refused value at its field', async () => {
    const { api } = renderPage(<PlanPage personId="p1" />, {
      PlanEditor: planEditor,
      SipMeetings: noMeetings,
      EditPlan: new ApiError('invalid', 'Invalid input: input.content.interventions.0.description: must not be empty', [
        { field: 'input.content.interventions.0.description', constraint: 'required', params: {} },
      ]),
    });
    const description = await screen.findByDisplayValue('Housing First');
    fireEvent.change(description, { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Personens egna mål (med personens ord)'), {
      target: { value: 'Keep the flat and see my sister' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Spara ändringar' }));
    await waitFor(() => expect(description).toHaveAttribute('aria-invalid', 'true'));
    // Worded from the rule's code, in Swedish: never the API's English.
    expect(description).toHaveAccessibleDescription('Fyll i fältet.');
    const sent = api.calls.find((c) => c.operation === 'EditPlan')!.variables as any;
    expect(sent.input).toMatchObject({ planId: 'plan-1', expectedVersion: 3 });
    expect(sent.input.content.personGoals).toBe('Keep the flat and see my sister');
    expect(sent.input.content).toMatchObject({
      overallResponsibilityOrganisationId: 'org-m',
      overallResponsibilityPrincipal: 'MUNICIPALITY',
    });
    expect(sent.input.content.interventions[0]).toMatchObject({
      id: 'i1',
      description: '',
      responsiblePrincipal: 'MUNICIPALITY',
      responsibleOrganisationId: 'org-m',
    });
  });

  it('explains a conflict with someone else’s change', async () => {
    renderPage(<PlanPage personId="p1" />, {
      PlanEditor: planEditor,
      SipMeetings: noMeetings,
      EditPlan: new ApiError('conflict', 'stale version'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Spara ändringar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Någon annan har ändrat detta under tiden');
  });
});

describe('decisions', () => {
  const decisions: DecisionsQuery = {
    me: { id: 'staff-1', organisationId: 'org-m' },
    person: {
      id: 'p1',
      givenName: 'Lena',
      familyName: 'Sandberg',
      careEpisodes: [
        {
          id: 'e1',
          kind: 'SOCIAL_SERVICES',
          status: 'ACTIVE',
          principal: 'MUNICIPALITY',
          organisationId: 'org-m',
          organisation: { name: 'Farsta' },
          dischargeApproved: false,
          dischargeRequests: [],
        },
      ],
      proposals: [
        {
          id: 'pr1',
          type: 'DISCHARGE',
          title: 'Avsluta socialtjänstens aktualitet',
          rationale: 'Stable',
          status: 'OPEN',
          deadline: '2026-12-01T10:00:00Z',
          openedAt: '2026-11-20T10:00:00Z',
          closedAt: null,
          closeReason: null,
          closeEndingReason: null,
          withdrawalReason: null,
          episodeId: 'e1',
          approvalValidUntil: null,
          usedAt: null,
          proposer: { id: 'staff-2', givenName: 'Leila', familyName: 'Rahimi' },
          electorate: [
            {
              staffId: 'staff-1',
              choice: null,
              comment: null,
              votedAt: null,
              principal: 'MUNICIPALITY',
              profession: 'SOCIAL_WORKER',
              staff: { givenName: 'Elin', familyName: 'Bergkvist' },
              organisation: { name: 'Farsta' },
            },
            {
              staffId: 'staff-2',
              choice: 'AGREE',
              comment: null,
              votedAt: '2026-11-20T10:00:00Z',
              principal: 'REGION',
              profession: 'PSYCHIATRIST',
              staff: { givenName: 'Leila', familyName: 'Rahimi' },
              organisation: { name: 'Psykiatri' },
            },
          ],
        },
      ],
    },
  };

  it('shows the tally, and a disagreement without a comment gets the message at the comment field', async () => {
    renderPage(<DecisionsPage personId="p1" />, {
      Decisions: decisions,
      CastVote: new ApiError(
        'invalid',
        'Say why you disagree: a comment is required',
        [{ field: 'comment', constraint: 'COMMENT_REQUIRED_TO_DISAGREE', params: {} }],
        'BAD_USER_INPUT',
        'COMMENT_REQUIRED_TO_DISAGREE',
      ),
    });
    expect(await screen.findByTestId('tally')).toHaveTextContent('1 för, 0 emot, 1 har inte röstat');
    fireEvent.click(screen.getByLabelText('Instämmer inte'));
    fireEvent.click(screen.getByRole('button', { name: 'Rösta' }));
    const comment = screen.getByLabelText('Kommentar (krävs om du inte instämmer)');
    await waitFor(() => expect(comment).toHaveAccessibleDescription('Skriv varför du inte instämmer.'));
    // The proposal is still open: no discharge to request yet.
    expect(screen.queryByRole('button', { name: 'Avsluta aktualiteten' })).toBeNull();
    expect(screen.getByText(/Aktualiteten kan avslutas när samverkansgruppen har godkänt/)).toBeInTheDocument();
  });

  it('offers the discharge request once the group has approved it, to the organisation holding the episode', async () => {
    const approved = {
      ...decisions,
      person: { ...decisions.person, careEpisodes: [{ ...decisions.person.careEpisodes[0], dischargeApproved: true }] },
    };
    renderPage(<DecisionsPage personId="p1" />, { Decisions: approved });
    expect(await screen.findByRole('button', { name: 'Avsluta aktualiteten' })).toBeInTheDocument();
  });

  it('says when live updates are interrupted, and reads the page again when the connection is back', async () => {
    const { api } = renderPage(<DecisionsPage personId="p1" />, { Decisions: decisions });
    expect(await screen.findByTestId('tally')).toBeInTheDocument();
    expect(screen.getByText('Uppdateras live')).toBeInTheDocument();
    act(() => api.dropped());
    expect(await screen.findByText(/Liveuppdateringar är avbrutna/)).toBeInTheDocument();
    const reads = api.calls.filter((c) => c.operation === 'Decisions').length;
    act(() => api.reconnected());
    await waitFor(() => expect(api.calls.filter((c) => c.operation === 'Decisions').length).toBe(reads + 1));
    expect(await screen.findByText('Uppdateras live')).toBeInTheDocument();
  });
});

describe('notifications inbox', () => {
  it('marks one notification read and reads the inbox again', async () => {
    let read = false;
    const { api } = renderPage(<NotificationsPage />, {
      Notifications: () => ({
        notifications: [
          {
            id: 'n1',
            kind: 'PROPOSAL_OPENED',
            params: { proposalTitle: 'Byte av boende' },
            personId: 'p1',
            createdAt: '2026-11-20T10:00:00Z',
            readAt: read ? '2026-11-21T10:00:00Z' : null,
          },
          {
            id: 'n2',
            kind: 'PROPOSAL_APPROVED',
            params: { proposalTitle: 'Ny boendestödjare', closeReason: 'ALL_AGREED' },
            personId: 'p1',
            createdAt: '2026-11-19T10:00:00Z',
            readAt: '2026-11-19T12:00:00Z',
          },
        ],
        unreadNotificationCount: read ? 0 : 1,
      }),
      MarkNotificationsRead: (variables: { ids: string[] }) => {
        read = variables.ids.includes('n1');
        return { markNotificationsRead: true };
      },
    });
    expect(await screen.findByText('Förslag: Byte av boende')).toBeInTheDocument();
    expect(screen.getByText('Förslag: Ny boendestödjare Alla röstberättigade instämde.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Notiser/ })).toHaveTextContent('1');
    fireEvent.click(screen.getByRole('button', { name: 'Markera som läst' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Markera som läst' })).not.toBeInTheDocument());
    expect(api.calls.find((c) => c.operation === 'MarkNotificationsRead')!.variables).toEqual({ ids: ['n1'] });
    expect(screen.getByRole('link', { name: /Notiser/ })).not.toHaveTextContent('1');
  });
});

describe('ACT team', () => {
  it('shows the caseload per member against 1:10 of their share of full time', async () => {
    // The server counts each member's persons over the whole caseload (the reader may see only some of them).
    const member = (id: string, name: string, fte: number, persons: number) => ({
      id: `m-${id}`,
      role: 'case manager',
      fte,
      validFrom: '2026-01-01',
      staff: {
        id,
        givenName: name,
        familyName: 'X',
        profession: 'CASE_MANAGER' as const,
        organisation: { name: 'Org' },
      },
      caseloadFigures: { persons, maxPersons: 10 * fte, withinFidelityTarget: persons <= 10 * fte },
    });
    renderPage(<TeamPage />, {
      ActTeams: {
        actTeams: [
          {
            id: 't1',
            name: 'ACT Syd',
            onCallPhone: '08-1',
            noContactAlertDays: 12,
            organisation: { name: 'Psykiatri' },
            roster: [member('a', 'Anna', 1, 11), member('b', 'Bo', 0.5, 4)],
            onCallNow: [],
            onCallShifts: [],
            caseloadFigures: {
              persons: 17,
              staffFte: 1.5,
              personsPerFte: 11.3,
              withinFidelityTarget: false,
              maxPersonsPerFte: 10,
            },
          },
        ],
      },
    });
    const anna = (await screen.findByRole('rowheader', { name: /Anna X\s*Org/ })).closest('tr')!;
    expect(anna).toHaveTextContent('11 / 10');
    expect(anna).toHaveTextContent('Över riktlinjen 1:10');
    const bo = screen.getByRole('rowheader', { name: /Bo X\s*Org/ }).closest('tr')!;
    expect(bo).toHaveTextContent('4 / 5');
    expect(bo).not.toHaveTextContent('Över riktlinjen');
    expect(screen.getByText('Ingen jour just nu – lucka i bemanningen.')).toBeInTheDocument();
    expect(screen.getAllByRole('row').filter((r) => r.closest('table.on-call'))).toHaveLength(8);
    // The no-contact reminder: shown to every reader; its change is the administrator's, so none is offered here.
    expect(
      screen.getByText('Teamet påminns när en person i teamet inte har haft kontakt på 12 dagar.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Antalet dagar ändras av systemförvaltaren.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ändra antal dagar utan kontakt' })).toBeNull();
  });
});
