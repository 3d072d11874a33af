import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * An auditor's review lists carry persons' ids with reasons and evidence in free text: reading and marking
 * them is an access to those persons, logged against each on the ground AUDIT (found by the side-door test).
 */
describe("an auditor's reviews are in the access log", () => {
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

  it('logs the listing and the review of an emergency access against its person', async () => {
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting();
    const auditorStaff = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    const [outsider, auditor] = await Promise.all(
      [s.outsider, auditorStaff].map((x) => api.login(x.username, x.password)),
    );
    const opened = await api.gql<{ openEmergencyAccess: { id: string } }>(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Found unconscious at the shelter' } },
      outsider,
    );
    expect(opened.errors).toBeUndefined();
    const reviewEntries = () =>
      db.dataSource.query(
        `SELECT entity FROM access_log WHERE person_id = $1 AND staff_id = $2 AND action = 'REVIEW' AND ground = 'AUDIT' ORDER BY id`,
        [s.person.id, auditorStaff.staff.id],
      );
    expect(await reviewEntries()).toEqual([]);

    const listed = await api.gql<{ emergencyAccesses: { edges: Array<{ node: { personId: string } }> } }>(
      `{ emergencyAccesses(first: 10) { edges { node { personId reason } } } }`,
      {},
      auditor,
    );
    expect(listed.data?.emergencyAccesses.edges.map((e) => e.node.personId)).toContain(s.person.id);
    const reviewed = await api.gql(
      `mutation($i: ReviewEmergencyAccessInput!) { reviewEmergencyAccess(input: $i) { id } }`,
      { i: { id: opened.data!.openEmergencyAccess.id, note: 'Justified' } },
      auditor,
    );
    expect(reviewed.errors).toBeUndefined();
    expect((await reviewEntries()).map((r: { entity: string }) => r.entity)).toEqual([
      'emergencyAccesses',
      'reviewEmergencyAccess',
    ]);
  });
});
