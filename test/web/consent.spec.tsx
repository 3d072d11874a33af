/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../apps/web/src/api/client';
import type { PersonConsentsQuery } from '../../apps/web/src/api/generated';
import { ConsentCard } from '../../apps/web/src/pages/consent-card';
import './dialog-polyfill';
import { renderPage } from './render';

const organisations = [
  { id: 'org-m', name: 'Farsta stadsdelsförvaltning' },
  { id: 'org-r', name: 'Psykiatri Södra Stockholm' },
];
const consent = (over: Partial<PersonConsentsQuery['consents'][number]>): PersonConsentsQuery['consents'][number] => ({
  id: 'c1',
  purpose: 'SHARING',
  scope: 'WHOLE_GROUP',
  organisationIds: [],
  givenHow: 'WRITTEN',
  witnessName: null,
  validFrom: '2026-01-01',
  validTo: null,
  active: true,
  recordedAt: '2026-01-01T09:00:00Z',
  withdrawnAt: null,
  withdrawalNote: null,
  limitations: [],
  ...over,
});

describe('consent on the person page', () => {
  it('shows the register: what each consent covers, how it was given, its limitations, and whether it is in force', async () => {
    renderPage(
      <ConsentCard
        personId="p1"
        organisations={organisations}
        planConsent={{ givenAt: '2026-01-01', validUntil: null }}
      />,
      {
        PersonConsents: {
          consents: [
            consent({
              id: 'c2',
              scope: 'NAMED_ORGANISATIONS',
              organisationIds: ['org-r'],
              givenHow: 'VERBAL_WITH_WITNESS',
              witnessName: 'Kim Vittne',
              limitations: [{ organisationId: 'org-r', category: 'HOUSING' }],
            }),
            consent({
              id: 'c1',
              active: false,
              withdrawnAt: '2026-03-01T10:00:00Z',
              withdrawalNote: 'Said so at the visit',
            }),
          ],
        },
      },
    );
    const items = await screen.findAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Gäller');
    expect(items[0]).toHaveTextContent('Delas med: Psykiatri Södra Stockholm');
    expect(items[0]).toHaveTextContent('Muntligt, med vittne (Vittne: Kim Vittne)');
    expect(items[0]).toHaveTextContent('Delas inte: boendet med Psykiatri Södra Stockholm');
    expect(items[1]).toHaveTextContent('Återkallat');
    expect(within(items[1]).queryByRole('button', { name: 'Återkalla samtycket' })).toBeNull();
    expect(screen.queryByText(/Inget samtycke gäller i dag/)).toBeNull();
  });

  it('warns when no consent is in force, and withdraws one after a confirmation', async () => {
    let withdrawn = false;
    const { api } = renderPage(<ConsentCard personId="p1" organisations={organisations} planConsent={null} />, {
      PersonConsents: () => ({
        consents: [consent(withdrawn ? { active: false, withdrawnAt: '2026-03-01T10:00:00Z' } : {})],
      }),
      WithdrawConsent: () => (
        (withdrawn = true),
        { withdrawConsent: { id: 'c1', active: false, withdrawnAt: '2026-03-01T10:00:00Z' } }
      ),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Återkalla samtycket' }));
    const dialog = await screen.findByRole('dialog', { name: 'Återkalla samtycket' });
    fireEvent.change(within(dialog).getByLabelText(/Hur personen återkallade det/), { target: { value: 'By phone' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Återkalla' }));
    expect(await screen.findByText(/Inget samtycke gäller i dag/)).toBeInTheDocument();
    expect(api.calls.find((c) => c.operation === 'WithdrawConsent')!.variables).toEqual({
      input: { consentId: 'c1', note: 'By phone' },
    });
  });

  it('records a consent to named organisations; a missing witness is shown at its field', async () => {
    let attempts = 0;
    const { api } = renderPage(<ConsentCard personId="p1" organisations={organisations} planConsent={null} />, {
      PersonConsents: { consents: [] },
      RecordConsent: () =>
        ++attempts === 1
          ? new ApiError(
              'invalid',
              'A verbal consent needs the name of its witness',
              [{ field: 'input.witnessName', constraint: 'WITNESS_REQUIRED', params: {} }],
              'BAD_USER_INPUT',
              'WITNESS_REQUIRED',
            )
          : { recordConsent: { id: 'c9' } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Registrera ett samtycke' }));
    fireEvent.change(await screen.findByLabelText('Omfattning'), { target: { value: 'NAMED_ORGANISATIONS' } });
    fireEvent.click(screen.getByLabelText('Psykiatri Södra Stockholm'));
    fireEvent.change(screen.getByLabelText('Hur samtycket lämnades'), { target: { value: 'VERBAL_WITH_WITNESS' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara samtycket' }));
    const witness = screen.getByLabelText('Vittne');
    await waitFor(() => expect(witness).toHaveAttribute('aria-invalid', 'true'));
    expect(witness).toHaveAccessibleDescription('Ett muntligt samtycke behöver ett vittne.');
    // The refused field takes the focus, so a keyboard or screen-reader user lands on it.
    expect(witness).toHaveFocus();
    fireEvent.change(witness, { target: { value: 'Kim Vittne' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara samtycket' }));
    await waitFor(() => expect(api.calls.filter((c) => c.operation === 'RecordConsent')).toHaveLength(2));
    expect((api.calls.filter((c) => c.operation === 'RecordConsent')[1].variables as any).input).toEqual({
      personId: 'p1',
      purpose: 'SHARING',
      scope: 'NAMED_ORGANISATIONS',
      organisationIds: ['org-r'],
      givenHow: 'VERBAL_WITH_WITNESS',
      witnessName: 'Kim Vittne',
      validTo: null,
      limitations: null,
    });
  });

  it('records a limitation: "do not share the housing with psychiatry"', async () => {
    const { api } = renderPage(<ConsentCard personId="p1" organisations={organisations} planConsent={null} />, {
      PersonConsents: { consents: [] },
      RecordConsent: { recordConsent: { id: 'c9' } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Registrera ett samtycke' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Lägg till en begränsning' }));
    fireEvent.change(screen.getByLabelText('Delas inte'), { target: { value: 'HOUSING' } });
    fireEvent.change(screen.getByLabelText('med'), { target: { value: 'org-r' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara samtycket' }));
    await waitFor(() => expect(api.calls.some((c) => c.operation === 'RecordConsent')).toBe(true));
    expect((api.calls.find((c) => c.operation === 'RecordConsent')!.variables as any).input.limitations).toEqual([
      { organisationId: 'org-r', category: 'HOUSING' },
    ]);
  });
});
