import { ActTeamService, Profession } from '../../libs/domain/src';
import { useApiTest } from '../support/api-test';

/**
 * Issue 10, finding 15: enrolling a person on an ACT team widened access to every team member under a
 * consent to sharing within the whole group, without anyone deciding it.
 */
describe('ACT-team enrolment gives the team a relation, not a consent', () => {
  const t = useApiTest();

  it("the team's other-principal staff see the person only with a consent naming their organisation; the group is told", async () => {
    const s = await t.f.careSetting(); // the person has consented to sharing within the whole group
    const teams = t.api.app.get(ActTeamService);
    const team = await teams.create({ name: `ACT ${s.person.id.slice(0, 8)}`, organisationId: s.psychiatry.id });
    const regionStaff = await t.f.staff(s.psychiatry, Profession.NURSE);
    const municipalityStaff = await t.f.staff(s.municipality, Profession.CASE_MANAGER);
    for (const x of [regionStaff, municipalityStaff])
      await teams.addMember(team.id, { staffId: x.staff.id, role: 'case manager' });
    const [social, psych, region, municipality, outsider] = await Promise.all(
      [s.socialWorker, s.psychiatrist, regionStaff, municipalityStaff, s.outsider].map((x) =>
        t.api.login(x.username, x.password),
      ),
    );
    const read = async (token: string) => {
      const r = await t.api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, token);
      return r.data?.person ? 'FULL' : r.errors?.[0].extensions?.code;
    };
    const level = async (token: string) =>
      (await t.api.gql<any>(`query($p: ID!) { personAccess(personId: $p) { level } }`, { p: s.person.id }, token)).data
        ?.personAccess.level;
    const enrol = (token: string) =>
      t.api.gql<any>(
        `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
        { i: { personId: s.person.id, teamId: team.id } },
        token,
      );

    // Emergency access does not enrol (it only reads).
    await t.api.gql(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Acute psychosis at the shelter' } },
      outsider,
    );
    expect((await enrol(outsider)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await enrol(social)).errors).toBeUndefined();
    // Staff of the person's own principal see the person on the team's relation; the other principal's get the limited view.
    expect(await read(municipality)).toBe('FULL');
    expect(await read(region)).toBe('NOT_FOUND');
    expect(await level(region)).toBe('LIMITED');
    // The group's own members are covered by the whole-group consent as before.
    expect(await read(psych)).toBe('FULL');

    const told = await t.db.dataSource.query(
      `SELECT recipient_staff_id, params::text AS message FROM notification WHERE person_id = $1 AND kind = 'ACT_TEAM_ENROLMENT'`,
      [s.person.id],
    );
    expect(told.map((n: any) => n.recipient_staff_id).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
    );
    expect(told[0].message).not.toContain(s.person.familyName);
    expect(
      await t.db.dataSource.query(`SELECT ground FROM access_log WHERE staff_id = $1 AND entity = 'enrolInActTeam'`, [
        s.socialWorker.staff.id,
      ]),
    ).toEqual([{ ground: 'GROUP_MEMBERSHIP' }]);

    // A consent naming the psychiatry clinic is the decision that shares with its team staff.
    const named = await t.api.gql(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          purpose: 'SHARING',
          scope: 'NAMED_ORGANISATIONS',
          organisationIds: [s.psychiatry.id],
          givenHow: 'WRITTEN',
        },
      },
      social,
    );
    expect(named.errors).toBeUndefined();
    expect(await read(region)).toBe('FULL');
  });
});
