import { assertMayEndMembership, assertNotBackDated } from '../../libs/domain/src/collaboration/membership.rules';
import { endedAtFor, isActiveMember } from '../../libs/domain/src/collaboration/period';
import { Actor, DomainErrorCode, Principal, Profession, today } from '../../libs/domain/src';

describe('who may change a collaboration group, and from when', () => {
  const actor: Actor = {
    staffId: 'staff-a',
    organisationId: 'org-social',
    unitId: null,
    profession: Profession.SOCIAL_WORKER,
    principal: Principal.MUNICIPALITY,
  };

  it('never back-dates a change: today or later only, naming the field', () => {
    expect(() => assertNotBackDated('validFrom', '2026-12-06', '2026-12-06')).not.toThrow();
    expect(() => assertNotBackDated('validTo', '2026-12-07', '2026-12-06')).not.toThrow();
    expect(() => assertNotBackDated('validTo', '2026-12-05', '2026-12-06')).toThrow(
      expect.objectContaining({ code: DomainErrorCode.INVALID_INPUT, field: 'validTo' }),
    );
    expect(() => assertNotBackDated('validFrom', '2020-01-01', '2026-12-06')).toThrow(
      expect.objectContaining({ field: 'validFrom' }),
    );
  });

  it("lets the member or the member's own organisation end a membership, never another organisation", () => {
    expect(() => assertMayEndMembership(actor, { staffId: 'staff-a', organisationId: 'org-ngo' })).not.toThrow();
    expect(() => assertMayEndMembership(actor, { staffId: 'staff-b', organisationId: 'org-social' })).not.toThrow();
    expect(() => assertMayEndMembership(actor, { staffId: 'staff-c', organisationId: 'org-psychiatry' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.FORBIDDEN }),
    );
  });

  it('counts a membership ended today only until the moment it was ended', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const member = { validFrom: '2026-01-01', validTo: '2026-12-06' };
    expect(isActiveMember({ ...member, endedAt: null }, '2026-12-06', now)).toBe(true);
    expect(isActiveMember({ ...member, endedAt: new Date('2026-12-06T09:59:59Z') }, '2026-12-06', now)).toBe(false);
    expect(isActiveMember({ ...member, endedAt: new Date('2026-12-06T10:00:01Z') }, '2026-12-06', now)).toBe(true);
    expect(isActiveMember(member, '2026-12-07', now)).toBe(false);
    // An end set for today is immediate; one for a later day counts to the end of that day.
    expect(endedAtFor(today())?.()).toBe('now()');
    expect(endedAtFor('2999-12-31')).toBeNull();
  });
});
