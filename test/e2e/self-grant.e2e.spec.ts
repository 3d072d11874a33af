import { Profession } from '../../libs/domain/src';
import { TestStaff } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

const ROLES = `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id auditor whereaboutsAuthorised organisationAdministrator } }`;
const ACTIVE = `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { id active } }`;
const ADD_MEMBER = `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`;
const END_MEMBER = `mutation($id: ID!) { endActTeamMembership(memberId: $id) { id } }`;
const ON_CALL = `mutation($i: AddOnCallShiftInput!) { addOnCallShift(input: $i) { id } }`;
const PERSON = `query($id: ID!) { person(id: $id) { id familyName } }`;

/** Finding 5: nobody grants themselves anything, and the administrator role opens no person by any route. */
describe('administrators: no grants to oneself, no care data', () => {
  const t = useApiTest();

  const token = (s: TestStaff) => t.api.login(s.username, s.password);
  const forbidden = (r: { errors?: Array<{ message: string; extensions?: { code?: string } }> }) => ({
    code: r.errors?.[0]?.extensions?.code,
    message: r.errors?.[0]?.message,
  });

  it('refuses every role, activation and roster change an administrator makes about themselves', async () => {
    const s = await t.f.careSetting();
    const admin = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
    const second = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
    const [mine, theirs] = await Promise.all([token(admin), token(second)]);
    const team = await t.api.gql<any>(
      `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
      { i: { name: 'ACT Självtest', organisationId: s.municipality.id } },
      mine,
    );
    const teamId = team.data.createActTeam.id;

    for (const roles of [{ whereaboutsAuthorised: true }, { auditor: true }, { organisationAdministrator: true }]) {
      expect(forbidden(await t.api.gql(ROLES, { i: { staffId: admin.staff.id, ...roles } }, mine))).toEqual({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^Another administrator must/),
      });
    }
    expect(forbidden(await t.api.gql(ACTIVE, { i: { staffId: admin.staff.id, active: true } }, mine)).code).toBe(
      'FORBIDDEN',
    );
    expect(
      forbidden(await t.api.gql(ADD_MEMBER, { i: { teamId, staffId: admin.staff.id, role: 'team leader' } }, mine)),
    ).toEqual({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Another administrator must add you/),
    });
    const [stored] = await t.db.dataSource.query(
      `SELECT whereabouts_authorised, auditor, organisation_administrator FROM staff_member WHERE id = $1`,
      [admin.staff.id],
    );
    expect(stored).toEqual({ whereabouts_authorised: false, auditor: false, organisation_administrator: false });
    expect(await t.db.dataSource.query(`SELECT id FROM act_team_member WHERE team_id = $1`, [teamId])).toEqual([]);

    // A second administrator may; then the roster change about oneself is refused the other way too.
    const added = await t.api.gql<any>(
      ADD_MEMBER,
      { i: { teamId, staffId: admin.staff.id, role: 'team leader' } },
      theirs,
    );
    expect(added.errors).toBeUndefined();
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    expect(
      forbidden(await t.api.gql(ON_CALL, { i: { teamId, staffId: admin.staff.id, startsAt, endsAt } }, mine)).code,
    ).toBe('FORBIDDEN');
    expect(
      (await t.api.gql<any>(ON_CALL, { i: { teamId, staffId: admin.staff.id, startsAt, endsAt } }, theirs)).errors,
    ).toBeUndefined();
    expect(forbidden(await t.api.gql(END_MEMBER, { id: added.data.addActTeamMember.id }, mine)).code).toBe('FORBIDDEN');
    expect(
      (await t.api.gql<any>(ROLES, { i: { staffId: admin.staff.id, whereaboutsAuthorised: true } }, theirs)).data
        .setStaffRoles.whereaboutsAuthorised,
    ).toBe(true);

    // An organisation administrator cannot authorise themselves either.
    await t.f.staffService.setRoles(s.socialWorker.staff.id, { organisationAdministrator: true });
    expect(
      forbidden(
        await t.api.gql(
          ROLES,
          { i: { staffId: s.socialWorker.staff.id, whereaboutsAuthorised: true } },
          await token(s.socialWorker),
        ),
      ).code,
    ).toBe('FORBIDDEN');
  });

  it("gives an administrator no person's data, whatever roster, group or authorisation they are given", async () => {
    const s = await t.f.careSetting();
    const admin = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
    const second = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
    const [mine, theirs] = await Promise.all([token(admin), token(second)]);
    // Another administrator puts them on a team with the person on its caseload, in the group, and authorises whereabouts.
    const teamId = (
      await t.api.gql<any>(
        `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
        { i: { name: 'ACT Ingen insyn', organisationId: s.municipality.id } },
        theirs,
      )
    ).data.createActTeam.id;
    expect(
      (await t.api.gql<any>(ADD_MEMBER, { i: { teamId, staffId: admin.staff.id, role: 'team leader' } }, theirs))
        .errors,
    ).toBeUndefined();
    expect(
      (
        await t.api.gql<any>(
          ADD_MEMBER,
          { i: { teamId, staffId: s.socialWorker.staff.id, role: 'social worker' } },
          theirs,
        )
      ).errors,
    ).toBeUndefined();
    const enrolled = await t.api.gql<any>(
      `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
      { i: { teamId, personId: s.person.id } },
      await token(s.socialWorker),
    );
    expect(enrolled.errors).toBeUndefined();
    await t.f.collaboration.addMember(s.person.id, {
      staffId: admin.staff.id,
      role: 'administrator',
      votingRepresentative: false,
    });
    expect(
      (await t.api.gql<any>(ROLES, { i: { staffId: admin.staff.id, whereaboutsAuthorised: true } }, theirs)).errors,
    ).toBeUndefined();

    const read = await t.api.gql<any>(PERSON, { id: s.person.id }, mine);
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(read)).not.toContain(s.person.familyName);
    const caseload = await t.api.gql<any>(
      `query($id: ID!) { actTeam(id: $id) { caseload { person { id familyName } } } }`,
      { id: teamId },
      mine,
    );
    expect(caseload.data.actTeam.caseload).toEqual([]);
    const emergency = await t.api.gql<any>(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Administrator wants to look' } },
      mine,
    );
    expect(emergency.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      await t.db.dataSource.query(`SELECT id FROM emergency_access WHERE staff_id = $1`, [admin.staff.id]),
    ).toEqual([]);
    const registered = await t.api.gql<any>(
      `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`,
      {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Admin',
          familyName: 'Registrerad',
          birthYear: 1980,
          roleInGroup: 'administrator',
        },
      },
      mine,
    );
    expect(registered.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await t.db.dataSource.query(`SELECT id FROM access_log WHERE staff_id = $1`, [admin.staff.id])).toEqual([]);
  });
});
