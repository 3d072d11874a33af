/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../apps/web/src/api/client';
import type { PlanEditorQuery, SipPlanStatus } from '../../apps/web/src/api/generated';
import { PlanPage } from '../../apps/web/src/pages/plan-page';
import { renderPage } from './render';

type Plan = NonNullable<PlanEditorQuery['person']['currentSipPlan']>;

const basePlan = (status: SipPlanStatus, version = 3): Plan => ({
  id: 'plan-1',
  personId: 'p1',
  status,
  version,
  followUpOn: '2030-01-10',
  consentGivenAt: '2026-08-25',
  consentValidUntil: null,
  personGoals: 'Behålla lägenheten',
  overallResponsibilityPrincipal: 'MUNICIPALITY',
  overallResponsibilityOrganisationId: 'org-m',
  overallResponsibilityOrganisation: { id: 'org-m', name: 'Farsta', principal: 'MUNICIPALITY' },
  needs: [],
  interventions: [
    {
      id: 'i-m',
      description: 'Boendestöd',
      status: 'ONGOING',
      responsiblePrincipal: 'MUNICIPALITY',
      responsibleOrganisationId: 'org-m',
      needId: null,
      mayUpdateStatus: false,
      responsibleOrganisation: { name: 'Farsta' },
    },
    {
      id: 'i-r',
      description: 'Depotinjektion',
      status: 'PLANNED',
      responsiblePrincipal: 'REGION',
      responsibleOrganisationId: 'org-r',
      needId: null,
      mayUpdateStatus: true,
      responsibleOrganisation: { name: 'Psykiatri Söder' },
    },
  ],
  otherMeasures: [],
  participants: [],
  followUps: [],
  versions: [],
});

const editor = (plan: Plan): PlanEditorQuery => ({
  person: {
    id: 'p1',
    givenName: 'Lena',
    familyName: 'Sandberg',
    relatives: [],
    collaborationGroup: {
      members: [
        {
          id: 'm1',
          principal: 'MUNICIPALITY',
          role: 'socialsekreterare',
          staff: {
            id: 's1',
            givenName: 'Elin',
            familyName: 'B',
            organisationId: 'org-m',
            organisation: { id: 'org-m', name: 'Farsta', principal: 'MUNICIPALITY' },
          },
        },
        {
          id: 'm2',
          principal: 'REGION',
          role: 'sjuksköterska',
          staff: {
            id: 's2',
            givenName: 'Sara',
            familyName: 'H',
            organisationId: 'org-r',
            organisation: { id: 'org-r', name: 'Psykiatri Söder', principal: 'REGION' },
          },
        },
      ],
    },
    currentSipPlan: plan,
  },
});
const noMeetings = {
  person: { id: 'p1', protectedIdentity: 'NONE', sipMeetings: [], collaborationGroup: { members: [] }, relatives: [] },
};

describe('SIP plan: follow-up mode and safe editing', () => {
  it("offers only the reader's principal's interventions, and saves a changed status with the plan's version", async () => {
    const { api } = renderPage(<PlanPage personId="p1" />, {
      PlanEditor: editor(basePlan('ACTIVE')),
      SipMeetings: noMeetings,
      SetInterventionStatus: { setInterventionStatus: { id: 'plan-1', version: 4 } },
    });
    const own = await screen.findByRole('form', { name: 'Era insatser' });
    // The municipality's intervention has no control here: the server said it is not the reader's.
    expect(within(own).getAllByRole('combobox')).toHaveLength(1);
    const regional = within(own).getByLabelText('Depotinjektion');
    fireEvent.change(regional, { target: { value: 'ONGOING' } });
    fireEvent.click(within(own).getByRole('button', { name: 'Spara status' }));
    await waitFor(() => expect(api.calls.some((c) => c.operation === 'SetInterventionStatus')).toBe(true));
    expect(api.calls.find((c) => c.operation === 'SetInterventionStatus')!.variables).toEqual({
      input: { planId: 'plan-1', expectedVersion: 3, interventionId: 'i-r', status: 'ONGOING' },
    });
    expect(await screen.findByText('Status sparad.')).toBeInTheDocument();
  });

  it('records a follow-up held in a dialog, and shows a refused date at its field', async () => {
    let attempt = 0;
    const { api } = renderPage(<PlanPage personId="p1" />, {
      PlanEditor: editor(basePlan('ACTIVE')),
      SipMeetings: noMeetings,
      RecordSipFollowUp: () =>
        ++attempt === 1
          ? new ApiError('invalid', 'refused', [{ field: 'input.nextFollowUpOn', constraint: 'invalid', params: {} }])
          : { recordSipFollowUp: { id: 'plan-1', version: 4, followUpOn: '2030-02-01' } },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Registrera hållen uppföljning' }));
    const dialog = screen.getByRole('dialog', { name: 'Registrera hållen uppföljning' });
    fireEvent.change(within(dialog).getByLabelText('Vad uppföljningen kom fram till'), {
      target: { value: 'Boendet fungerar' },
    });
    const next = within(dialog).getByLabelText('Datum för nästa uppföljning');
    fireEvent.change(next, { target: { value: '2030-01-01' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Registrera uppföljningen' }));
    await waitFor(() => expect(next).toHaveFocus());
    expect(next).toHaveAttribute('aria-invalid', 'true');
    fireEvent.change(next, { target: { value: '2030-02-01' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Registrera uppföljningen' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.calls.filter((c) => c.operation === 'RecordSipFollowUp').map((c) => c.variables)).toEqual([
      { input: { planId: 'plan-1', expectedVersion: 3, summary: 'Boendet fungerar', nextFollowUpOn: '2030-01-01' } },
      { input: { planId: 'plan-1', expectedVersion: 3, summary: 'Boendet fungerar', nextFollowUpOn: '2030-02-01' } },
    ]);
  });

  it('adopting with unsaved edits saves them first and adopts the version saved', async () => {
    const { api } = renderPage(<PlanPage personId="p1" />, {
      PlanEditor: editor(basePlan('UNDER_REVISION')),
      SipMeetings: noMeetings,
      EditPlan: { editSipPlan: { ...basePlan('UNDER_REVISION', 4), personGoals: 'Eget kontrakt' } },
      TransitionPlan: { transitionSipPlan: { ...basePlan('ACTIVE', 5), personGoals: 'Eget kontrakt' } },
    });
    fireEvent.change(await screen.findByLabelText('Personens egna mål (med personens ord)'), {
      target: { value: 'Eget kontrakt' },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Spara och fastställ planen' }));
    await waitFor(() => expect(api.calls.some((c) => c.operation === 'TransitionPlan')).toBe(true));
    const [edit, transition] = api.calls.filter(
      (c) => c.operation === 'EditPlan' || c.operation === 'TransitionPlan',
    ) as any[];
    expect(edit.operation).toBe('EditPlan');
    expect(edit.variables.input).toMatchObject({ expectedVersion: 3, content: { personGoals: 'Eget kontrakt' } });
    expect(transition.variables).toEqual({ input: { planId: 'plan-1', expectedVersion: 4, status: 'ACTIVE' } });
  });

  it('does not adopt when saving the edits is refused: the field in error gets the message and the focus', async () => {
    const { api } = renderPage(<PlanPage personId="p1" />, {
      PlanEditor: editor(basePlan('UNDER_REVISION')),
      SipMeetings: noMeetings,
      EditPlan: new ApiError('invalid', 'refused', [
        { field: 'input.content.interventions.1.description', constraint: 'required', params: {} },
      ]),
    });
    const interventions = (await screen.findAllByLabelText('Beskrivning')).filter(
      (el) => (el as HTMLInputElement).value === 'Depotinjektion',
    );
    fireEvent.change(interventions[0], { target: { value: '' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Spara och fastställ planen' }));
    await waitFor(() => expect(interventions[0]).toHaveFocus());
    expect(interventions[0]).toHaveAttribute('aria-invalid', 'true');
    expect(api.calls.some((c) => c.operation === 'TransitionPlan')).toBe(false);
  });
});
