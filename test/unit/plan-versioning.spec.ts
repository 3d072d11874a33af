import { Principal } from '../../libs/domain/src/organisation/organisation.enums';
import {
  assertContentEditable,
  assertReadyToActivate,
  assertTransition,
  describeChanges,
} from '../../libs/domain/src/sip-plan/plan-versioning';
import {
  InterventionStatus,
  NeedArea,
  SipPlanContent,
  SipPlanStatus,
} from '../../libs/domain/src/sip-plan/sip-plan.content';

const base: SipPlanContent = {
  status: SipPlanStatus.DRAFT,
  overallResponsibilityPrincipal: Principal.MUNICIPALITY,
  overallResponsibilityOrganisationId: null,
  personGoals: 'Ett eget boende',
  needs: [{ id: 'n1', area: NeedArea.HOUSING, description: 'Stable housing' }],
  interventions: [
    {
      id: 'i1',
      needId: 'n1',
      description: 'Housing support',
      responsiblePrincipal: Principal.MUNICIPALITY,
      responsibleOrganisationId: 'o1',
      responsibleUnitId: null,
      status: InterventionStatus.PLANNED,
    },
  ],
  otherMeasures: [],
  participants: [],
  consentGivenAt: '2026-11-01',
  consentValidUntil: null,
  followUpOn: '2027-01-15',
};

describe('plan lifecycle', () => {
  it.each([
    [SipPlanStatus.DRAFT, SipPlanStatus.ACTIVE],
    [SipPlanStatus.ACTIVE, SipPlanStatus.UNDER_REVISION],
    [SipPlanStatus.UNDER_REVISION, SipPlanStatus.ACTIVE],
    [SipPlanStatus.ACTIVE, SipPlanStatus.CLOSED],
    [SipPlanStatus.DRAFT, SipPlanStatus.CLOSED],
  ])('allows %s → %s', (from, to) => expect(() => assertTransition(from, to)).not.toThrow());

  it.each([
    [SipPlanStatus.CLOSED, SipPlanStatus.ACTIVE],
    [SipPlanStatus.DRAFT, SipPlanStatus.UNDER_REVISION],
    [SipPlanStatus.ACTIVE, SipPlanStatus.DRAFT],
    [SipPlanStatus.ACTIVE, SipPlanStatus.ACTIVE],
  ])('refuses %s → %s', (from, to) => expect(() => assertTransition(from, to)).toThrow(/cannot become/));

  it('an active plan is fixed until a revision starts', () => {
    expect(() => assertContentEditable(SipPlanStatus.ACTIVE)).toThrow(/start a revision/);
    expect(() => assertContentEditable(SipPlanStatus.UNDER_REVISION)).not.toThrow();
    expect(() => assertContentEditable(SipPlanStatus.CLOSED)).toThrow();
  });

  it.each<[string, Partial<SipPlanContent>, string]>([
    ['consent', { consentGivenAt: null }, 'consentGivenAt'],
    ['expired consent', { consentValidUntil: '2026-11-01' }, 'consentValidUntil'],
    ['overall responsibility', { overallResponsibilityPrincipal: null }, 'overallResponsibilityPrincipal'],
    ['an intervention', { interventions: [] }, 'interventions'],
    ['a follow-up date', { followUpOn: null }, 'followUpOn'],
  ])('cannot activate without %s', (_what, change, field) => {
    expect(() => assertReadyToActivate({ ...base, ...change }, '2026-11-23')).toThrow(
      expect.objectContaining({ field }),
    );
  });

  it('activates a complete plan', () => {
    expect(() => assertReadyToActivate(base, '2026-11-23')).not.toThrow();
  });
});

describe('what a revision changed', () => {
  it('names the creation', () => expect(describeChanges(null, base)).toEqual(['plan created']));

  it('says nothing when nothing changed', () => expect(describeChanges(base, { ...base })).toEqual([]));

  it('describes scalar changes with before and after', () => {
    expect(describeChanges(base, { ...base, followUpOn: '2027-03-01', status: SipPlanStatus.ACTIVE })).toEqual([
      'status: DRAFT → ACTIVE',
      'follow-up date: 2027-01-15 → 2027-03-01',
    ]);
  });

  it('tracks list items by id: added, changed (with the fields), removed', () => {
    const after: SipPlanContent = {
      ...base,
      needs: [],
      interventions: [
        { ...base.interventions[0], status: InterventionStatus.ONGOING },
        {
          id: 'i2',
          needId: null,
          description: 'Psychiatric follow-up',
          responsiblePrincipal: Principal.REGION,
          responsibleOrganisationId: 'o2',
          responsibleUnitId: null,
          status: InterventionStatus.PLANNED,
        },
      ],
    };
    expect(describeChanges(base, after)).toEqual([
      'needs: removed "Stable housing"',
      'interventions: changed "Housing support" (status)',
      'interventions: added "Psychiatric follow-up"',
    ]);
  });
});
