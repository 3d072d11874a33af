import { ProtectedIdentity } from '../../libs/domain/src/person/person.enums';
import { hideWhereabouts } from '../../libs/domain/src/person/whereabouts';

describe('whereabouts of a person with a protected identity', () => {
  const placement = {
    kind: 'TRAINING_FLAT',
    address: 'Exempelgatan 1',
    providerOrganisationId: 'a-housing-company',
    note: 'Near the station',
  };
  const contact = { kind: 'HOME_VISIT', location: 'Exempelgatan 1', summary: 'Visit' };

  it('shows them when the identity is not protected', () => {
    expect(hideWhereabouts({ protectedIdentity: ProtectedIdentity.NONE }, placement)).toEqual(placement);
    expect(hideWhereabouts({ protectedIdentity: ProtectedIdentity.NONE }, contact)).toEqual(contact);
  });

  it.each([
    ProtectedIdentity.SEKRETESSMARKERING,
    ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
    ProtectedIdentity.FINGERADE_PERSONUPPGIFTER,
  ])('hides address and location at level %s, keeping the rest', (level) => {
    expect(hideWhereabouts({ protectedIdentity: level }, placement)).toEqual({
      kind: 'TRAINING_FLAT',
      address: null,
      providerOrganisationId: null,
      note: null,
    });
    expect(hideWhereabouts({ protectedIdentity: level }, contact)).toEqual({
      kind: 'HOME_VISIT',
      location: null,
      summary: 'Visit',
    });
  });

  it('hides them when it is unknown whose they are, even from authorised staff', () => {
    expect(hideWhereabouts(null, placement).address).toBeNull();
    expect(hideWhereabouts(null, placement, true).address).toBeNull();
  });

  it('shows them to staff explicitly authorised for protected whereabouts', () => {
    expect(hideWhereabouts({ protectedIdentity: ProtectedIdentity.SKYDDAD_FOLKBOKFORING }, placement, true)).toEqual(
      placement,
    );
    expect(hideWhereabouts({ protectedIdentity: ProtectedIdentity.SEKRETESSMARKERING }, contact, true)).toEqual(
      contact,
    );
  });
});
