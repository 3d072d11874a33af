import { useApiTest } from '../support/api-test';

const CREATE_STAFF = `mutation($i: CreateStaffMemberInput!) { createStaffMember(input: $i) { id organisation { id } } }`;
const CREATE_UNIT = `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`;
const ROLES = `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { auditor whereaboutsAuthorised organisationAdministrator } }`;
const ACTIVE = `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { active } }`;
const CLIENT = `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { apiKey staff { id serviceAccount organisation { id } } } }`;

describe('roles: organisation administrator and integration clients', () => {
  const t = useApiTest();

  const code = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;

  it("lets an organisation administrator manage their own organisation's staff and units, and nothing else", async () => {
    const s = await t.f.careSetting();
    const orgAdmin = await t.f.staff(s.municipality, 'SOCIAL_WORKER' as never);
    const admin = await t.f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const adminToken = await t.api.login(admin.username, admin.password);
    expect(
      (await t.api.gql<any>(ROLES, { i: { staffId: orgAdmin.staff.id, organisationAdministrator: true } }, adminToken))
        .data.setStaffRoles.organisationAdministrator,
    ).toBe(true);
    const token = await t.api.login(orgAdmin.username, orgAdmin.password);

    const own = await t.api.gql<any>(
      CREATE_STAFF,
      { i: { organisationId: s.municipality.id, givenName: 'Ny', familyName: 'Kollega', profession: 'SOCIAL_WORKER' } },
      token,
    );
    expect(own.data.createStaffMember.organisation.id).toBe(s.municipality.id);
    expect(
      code(
        await t.api.gql(
          CREATE_STAFF,
          { i: { organisationId: s.psychiatry.id, givenName: 'Ny', familyName: 'Läkare', profession: 'NURSE' } },
          token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await t.api.gql(
          CREATE_STAFF,
          {
            i: {
              organisationId: s.municipality.id,
              givenName: 'Ny',
              familyName: 'Admin',
              profession: 'OTHER',
              administrator: true,
            },
          },
          token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      (await t.api.gql<any>(CREATE_UNIT, { i: { organisationId: s.municipality.id, name: 'Ny enhet' } }, token)).errors,
    ).toBeUndefined();
    expect(
      code(await t.api.gql(CREATE_UNIT, { i: { organisationId: s.psychiatry.id, name: 'Ny enhet' } }, token)),
    ).toBe('FORBIDDEN');
    expect(
      (await t.api.gql<any>(ACTIVE, { i: { staffId: s.outsider.staff.id, active: true } }, token)).data.setStaffActive
        .active,
    ).toBe(true);
    expect(code(await t.api.gql(ACTIVE, { i: { staffId: s.nurse.staff.id, active: false } }, token))).toBe('FORBIDDEN');
    expect(
      (await t.api.gql<any>(ROLES, { i: { staffId: s.outsider.staff.id, whereaboutsAuthorised: true } }, token)).data
        .setStaffRoles.whereaboutsAuthorised,
    ).toBe(true);
    expect(code(await t.api.gql(ROLES, { i: { staffId: s.outsider.staff.id, auditor: true } }, token))).toBe(
      'FORBIDDEN',
    );
    expect(code(await t.api.gql(ROLES, { i: { staffId: s.nurse.staff.id, whereaboutsAuthorised: true } }, token))).toBe(
      'FORBIDDEN',
    );
    expect(
      code(
        await t.api.gql(
          `mutation { createOrganisation(input: { name: "X", principal: OTHER, kind: NGO }) { id } }`,
          {},
          token,
        ),
      ),
    ).toBe('FORBIDDEN');
    // Managing the directory gives no access to persons.
    expect(code(await t.api.gql(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, token))).toBe(
      'NOT_FOUND',
    );
  });

  it('signs integration clients in with a hashed API key, limited to the scopes of the key and to their own organisation', async () => {
    const s = await t.f.careSetting();
    const admin = await t.f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const adminToken = await t.api.login(admin.username, admin.password);
    const created = await t.api.gql<any>(
      CLIENT,
      { i: { organisationId: s.municipality.id, name: 'HR-systemet', scopes: ['DIRECTORY_READ', 'DIRECTORY_WRITE'] } },
      adminToken,
    );
    const { apiKey, staff } = created.data.createIntegrationClient;
    expect(apiKey).toMatch(/^svk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(staff.serviceAccount).toBe(true);
    const stored = await t.db.dataSource.query(`SELECT to_jsonb(k)::text AS row FROM api_key k WHERE staff_id = $1`, [
      staff.id,
    ]);
    expect(stored).toHaveLength(1);
    // The secret is the 43 characters after the prefix (base64url: it may hold '_' itself).
    expect(stored[0].row).not.toContain(apiKey.slice('svk_'.length + 12 + 1));
    expect(
      code(
        await t.api.gql(
          CLIENT,
          { i: { organisationId: s.municipality.id, name: 'X', scopes: ['DIRECTORY_READ'] } },
          await t.api.login(s.socialWorker.username, s.socialWorker.password),
        ),
      ),
    ).toBe('FORBIDDEN');

    const list = await t.api.gql<any>(`{ staffMembers(first: 5) { edges { node { id } } } }`, {}, apiKey);
    expect(list.errors).toBeUndefined();
    expect(
      (
        await t.api.gql<any>(
          CREATE_STAFF,
          { i: { organisationId: s.municipality.id, givenName: 'Synkad', familyName: 'Person', profession: 'NURSE' } },
          apiKey,
        )
      ).errors,
    ).toBeUndefined();
    expect(
      code(
        await t.api.gql(
          CREATE_STAFF,
          { i: { organisationId: s.psychiatry.id, givenName: 'Synkad', familyName: 'Person', profession: 'NURSE' } },
          apiKey,
        ),
      ),
    ).toBe('FORBIDDEN');
    // Outside its scopes: nothing, however harmless; and never a person, even as a group member.
    await t.f.collaboration.addMember(s.person.id, {
      staffId: staff.id,
      role: 'integration',
      votingRepresentative: false,
    });
    expect(code(await t.api.gql(`{ me { id } }`, {}, apiKey))).toBe('FORBIDDEN');
    expect(
      code(
        await t.api.gql(
          `query($id: ID!) { patientOverview(personId: $id) { person { id } } }`,
          { id: s.person.id },
          apiKey,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await t.api.gql(
          `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
          { i: { personId: s.person.id, reason: 'Integration wants in' } },
          apiKey,
        ),
      ),
    ).toBe('FORBIDDEN');

    const readOnly = (
      await t.api.gql<any>(
        CLIENT,
        { i: { organisationId: s.psychiatry.id, name: 'Katalog', scopes: ['DIRECTORY_READ'] } },
        adminToken,
      )
    ).data.createIntegrationClient.apiKey;
    expect(
      code(await t.api.gql(CREATE_UNIT, { i: { organisationId: s.psychiatry.id, name: 'Enhet' } }, readOnly)),
    ).toBe('FORBIDDEN');
    expect(code(await t.api.gql(`{ me { id } }`, {}, apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A')))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
