import { ActTeamService, Profession } from '../../libs/domain/src';
import { useApiTest } from '../support/api-test';

/** Issue 11, section 1: changing a person's case manager in the ACT team, and ending their place on the caseload. */
describe("an ACT team's caseload: case manager and the end of a place", () => {
  const t = useApiTest();

  it('the team or the group changes the case manager and ends the place; the team loses the person on the very next request; the group is told', async () => {
    const s = await t.f.careSetting();
    const teams = t.api.app.get(ActTeamService);
    const team = await teams.create({ name: `ACT ${s.person.id.slice(0, 8)}`, organisationId: s.municipality.id });
    const otherTeam = await teams.create({
      name: `ACT other ${s.person.id.slice(0, 8)}`,
      organisationId: s.municipality.id,
    });
    // Staff of the person's own principal: the team's relation alone lets them see and change the person.
    const first = await t.f.staff(s.municipality, Profession.CASE_MANAGER);
    const second = await t.f.staff(s.municipality, Profession.CASE_MANAGER);
    const otherTeamStaff = await t.f.staff(s.municipality, Profession.CASE_MANAGER);
    for (const x of [first, second]) await teams.addMember(team.id, { staffId: x.staff.id, role: 'case manager' });
    await teams.addMember(otherTeam.id, { staffId: otherTeamStaff.staff.id, role: 'case manager' });
    const place = await teams.enrolPerson(team.id, { personId: s.person.id, caseManagerStaffId: first.staff.id });
    await teams.enrolPerson(otherTeam.id, { personId: s.person.id });
    const [social, firstToken, otherToken, outsider] = await Promise.all(
      [s.socialWorker, first, otherTeamStaff, s.outsider].map((x) => t.api.login(x.username, x.password)),
    );

    const change = (token: string, caseManagerStaffId: string) =>
      t.api.gql<any>(
        `mutation($i: ChangeCaseManagerInput!) { changeCaseManager(input: $i) { id caseManagerStaffId validTo } }`,
        { i: { clientId: place.id, caseManagerStaffId } },
        token,
      );
    const end = (token: string) =>
      t.api.gql<any>(
        `mutation($i: EndActTeamPlaceInput!) { endActTeamPlace(input: $i) { id validTo } }`,
        { i: { clientId: place.id } },
        token,
      );
    const read = async (token: string) => {
      const r = await t.api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, token);
      return r.data?.person ? 'FULL' : r.errors?.[0].extensions?.code;
    };
    const told = (kind: string) =>
      t.db.dataSource.query(
        `SELECT recipient_staff_id, params::text AS message FROM notification WHERE person_id = $1 AND kind = $2`,
        [s.person.id, kind],
      );
    const groupIds = [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort();

    // The case manager must be on the team's roster now.
    expect((await change(firstToken, otherTeamStaff.staff.id)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'caseManagerStaffId',
    });
    // Write access through another team's place is not this team's or the group's business.
    expect((await change(otherToken, second.staff.id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await end(otherToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Without a relation: not found; under emergency access (which only reads): refused.
    expect((await end(outsider)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await t.api.gql(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Acute psychosis at the shelter' } },
      outsider,
    );
    expect((await end(outsider)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await told('ACT_TEAM_CASE_MANAGER_CHANGED')).toEqual([]);

    // A team member changes the case manager; the group is told, with no personal data.
    const changed = await change(firstToken, second.staff.id);
    expect(changed.errors).toBeUndefined();
    expect(changed.data.changeCaseManager).toEqual({
      id: place.id,
      caseManagerStaffId: second.staff.id,
      validTo: null,
    });
    const changeNotices = await told('ACT_TEAM_CASE_MANAGER_CHANGED');
    expect(changeNotices.map((n: any) => n.recipient_staff_id).sort()).toEqual(groupIds);
    expect(changeNotices[0].message).not.toContain(s.person.familyName);

    // A group member ends the place: today, at once.
    expect(await read(firstToken)).toBe('FULL');
    const ended = await end(social);
    expect(ended.errors).toBeUndefined();
    const today = (
      await t.db.dataSource.query(`SELECT to_char((now() AT TIME ZONE 'Europe/Stockholm')::date, 'YYYY-MM-DD') AS d`)
    )[0].d;
    expect(ended.data.endActTeamPlace).toEqual({ id: place.id, validTo: today });
    // The team member, who is not in the group, no longer sees the person on the very next request.
    expect(await read(firstToken)).toBe('NOT_FOUND');
    expect((await end(firstToken)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await end(social)).errors?.[0].extensions?.code).toBe('INVALID_STATE');
    const endNotices = await told('ACT_TEAM_PLACE_ENDED');
    expect(endNotices.map((n: any) => n.recipient_staff_id).sort()).toEqual(groupIds);
    expect(endNotices[0].message).not.toContain(s.person.familyName);
    // The other team's place is untouched.
    expect(await read(otherToken)).toBe('FULL');
  });
});
