import {
  accessLogRole,
  Actor,
  assertNamedPerson,
  IntegrationScope,
  isIntegrationClient,
  OAUTH_SCOPE_OF,
  Principal,
  Profession,
  scopeOfOAuth,
} from '../../libs/domain/src';

const staff: Actor = {
  staffId: 's',
  organisationId: 'o',
  unitId: null,
  profession: Profession.NURSE,
  principal: Principal.REGION,
};
const client: Actor = {
  ...staff,
  profession: Profession.OTHER,
  scopes: [IntegrationScope.PERSON_READ],
  clientId: 'cl_x',
};

describe('integration clients: scopes and the named-person rule', () => {
  it('maps every scope to its OAuth string and back, and knows no other string', () => {
    for (const scope of Object.values(IntegrationScope)) expect(scopeOfOAuth(OAUTH_SCOPE_OF[scope])).toBe(scope);
    expect(Object.values(OAUTH_SCOPE_OF)).toEqual([
      'directory.read',
      'directory.write',
      'person.read',
      'person.write',
      'plan.read',
      'plan.write',
      'decisions.read',
    ]);
    for (const unknown of ['PERSON_READ', 'person', 'person.read ', 'openid', ''])
      expect(scopeOfOAuth(unknown)).toBeUndefined();
  });

  it('tells a client from a person, also with no scope left, and logs it in its own role', () => {
    expect([
      isIntegrationClient(staff),
      isIntegrationClient(client),
      isIntegrationClient({ ...client, scopes: [] }),
    ]).toEqual([false, true, true]);
    expect([accessLogRole(staff), accessLogRole(client), accessLogRole({ ...staff, auditor: true })]).toEqual([
      'NURSE',
      'INTEGRATION_CLIENT',
      'AUDITOR',
    ]);
  });

  it('refuses a client whatever its scopes, with a code; a named staff member passes', () => {
    expect(() => assertNamedPerson(staff, 'vote')).not.toThrow();
    const everything = { ...client, scopes: Object.values(IntegrationScope) };
    expect(() => assertNamedPerson(everything, 'vote')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', reason: 'NAMED_PERSON_REQUIRED' }),
    );
  });
});
