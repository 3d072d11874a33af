import { Profession } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * A roster change changes who has a relation to everyone on the team's caseload: like every change of who
 * may see a person, each person's collaboration group is told.
 */
describe("an ACT team's roster changes are told to the groups of the persons on its caseload", () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('tells the group when a member joins and when one leaves', async () => {
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting();
    const admin = await f.staff(s.psychiatry, 'OTHER' as never, { administrator: true });
    const joiner = await f.staff(s.psychiatry, Profession.NURSE);
    const [adminToken, social] = await Promise.all(
      [admin, s.socialWorker].map((x) => api.login(x.username, x.password)),
    );
    const call = async <T>(token: string, query: string, variables: Record<string, unknown>) => {
      const r = await api.gql<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const team = (
      await call<{ createActTeam: { id: string } }>(
        adminToken,
        `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
        { i: { name: 'ACT Söder', organisationId: s.psychiatry.id } },
      )
    ).createActTeam;
    await call(adminToken, `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`, {
      i: { teamId: team.id, staffId: s.socialWorker.staff.id, role: 'social worker' },
    });
    await call(social, `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`, {
      i: { teamId: team.id, personId: s.person.id },
    });

    const told = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND recipient_staff_id = $2 AND kind = 'ACT_TEAM_ROSTER_CHANGED'`,
          [s.person.id, s.psychiatrist.staff.id],
        )
      )[0].n;
    expect(await told()).toBe(0);
    const added = await call<{ addActTeamMember: { id: string } }>(
      adminToken,
      `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`,
      {
        i: { teamId: team.id, staffId: joiner.staff.id, role: 'nurse' },
      },
    );
    expect(await told()).toBe(1);
    await call(adminToken, `mutation($id: ID!) { endActTeamMembership(memberId: $id) { id } }`, {
      id: added.addActTeamMember.id,
    });
    expect(await told()).toBe(2);
  });
});
