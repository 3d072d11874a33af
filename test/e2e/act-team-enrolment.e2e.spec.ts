import { ActTeamService, Profession } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Issue 10, finding 15: enrolling a person on an ACT team widened access to every team member under a
 * consent to sharing within the whole group, without anyone deciding it.
 */
describe('ACT-team enrolment gives the team a relation, not a consent', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it("the team's other-principal staff see the person only with a consent naming their organisation; the group is told", async () => {
    const s = await f.careSetting(); // the person has consented to sharing within the whole group
    const teams = api.app.get(ActTeamService);
    const team = await teams.create({ name: `ACT ${s.person.id.slice(0, 8)}`, organisationId: s.psychiatry.id });
    const regionStaff = await f.staff(s.psychiatry, Profession.NURSE);
    const municipalityStaff = await f.staff(s.municipality, Profession.CASE_MANAGER);
    for (const x of [regionStaff, municipalityStaff])
      await teams.addMember(team.id, { staffId: x.staff.id, role: 'case manager' });
    const [social, psych, region, municipality, outsider] = await Promise.all(
      [s.socialWorker, s.psychiatrist, regionStaff, municipalityStaff, s.outsider].map((x) =>
        api.login(x.username, x.password),
      ),
    );
    const read = async (token: string) => {
      const r = await api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, token);
      return r.data?.person ? 'FULL' : r.errors?.[0].extensions?.code;
    };
    const level = async (token: string) =>
      (await api.gql<any>(`query($p: ID!) { personAccess(personId: $p) { level } }`, { p: s.person.id }, token)).data
        ?.personAccess.level;
    const enrol = (token: string) =>
      api.gql<any>(
        `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
        { i: { personId: s.person.id, teamId: team.id } },
        token,
      );

    // Emergency access does not enrol (it only reads).
    await api.gql(
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

    const told = await db.dataSource.query(
      `SELECT recipient_staff_id, params::text AS message FROM notification WHERE person_id = $1 AND kind = 'ACT_TEAM_ENROLMENT'`,
      [s.person.id],
    );
    expect(told.map((n: any) => n.recipient_staff_id).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
    );
    expect(told[0].message).not.toContain(s.person.familyName);
    expect(
      await db.dataSource.query(`SELECT ground FROM access_log WHERE staff_id = $1 AND entity = 'enrolInActTeam'`, [
        s.socialWorker.staff.id,
      ]),
    ).toEqual([{ ground: 'GROUP_MEMBERSHIP' }]);

    // A consent naming the psychiatry clinic is the decision that shares with its team staff.
    const named = await api.gql(
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
