import { ConsentGivenHow, ConsentPurpose, ConsentScope, Profession, SharingCategory } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * A withdrawal only ever narrows sharing (found by the side-door test): a consent's limitations ("do not
 * share the SIP plan with the NGO") hold only while that consent is in force, so withdrawing it while
 * another consent still covers the NGO would hand the NGO what the person kept from it.
 */
describe('withdrawing a consent that carries limitations', () => {
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

  const WITHDRAW = `mutation($i: WithdrawConsentInput!) { withdrawConsent(input: $i) { id active } }`;
  const PLAN = `query($id: ID!) { person(id: $id) { currentSipPlan { id } } }`;

  it('is refused to the organisation it withholds from, and to anyone while another consent still covers that organisation; the group is told of each one recorded or withdrawn', async () => {
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting(); // the person's whole-group consent is in force
    const peer = await f.staff(s.ngo, Profession.PEER_SUPPORT_WORKER);
    await f.collaboration.addMember(s.person.id, {
      staffId: peer.staff.id,
      role: 'peer supporter',
      votingRepresentative: false,
    });
    const limited = await f.consents.record(s.socialWorker.actor, {
      personId: s.person.id,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.WHOLE_GROUP,
      givenHow: ConsentGivenHow.WRITTEN,
      limitations: [{ organisationId: s.ngo.id, category: SharingCategory.SIP_PLAN }],
    });
    const [social, psychiatrist, ngo] = await Promise.all(
      [s.socialWorker, s.psychiatrist, peer].map((x) => api.login(x.username, x.password)),
    );
    const plan = await api.gql<{ createSipPlan: { id: string } }>(
      `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
      { i: { personId: s.person.id } },
      social,
    );
    expect(plan.errors).toBeUndefined();
    const ngoSeesPlan = async () =>
      ((await api.gql<{ person: { currentSipPlan: { id: string } | null } }>(PLAN, { id: s.person.id }, ngo)).data
        ?.person.currentSipPlan ?? null) !== null;
    expect(await ngoSeesPlan()).toBe(false);

    const byNgo = await api.gql(WITHDRAW, { i: { consentId: limited.id } }, ngo);
    expect(byNgo.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byRegion = await api.gql(WITHDRAW, { i: { consentId: limited.id } }, psychiatrist);
    expect(byRegion.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/would lift its limitations/),
      extensions: { code: 'INVALID_STATE' },
    });
    expect(await ngoSeesPlan()).toBe(false);

    // In the order that never widens: the covering consent first, then the limited one.
    const covering = (await f.consents.forPerson(s.person.id)).find((c) => c.limitations.length === 0)!;
    expect((await api.gql(WITHDRAW, { i: { consentId: covering.id } }, social)).errors).toBeUndefined();
    expect((await api.gql(WITHDRAW, { i: { consentId: limited.id } }, psychiatrist)).errors).toBeUndefined();
    expect(await ngoSeesPlan()).toBe(false);

    // The whole group is told of every consent recorded and withdrawn (the refused withdrawals told nobody).
    const told: Array<{ kind: string; n: number }> = await db.dataSource.query(
      `SELECT kind, count(*)::int AS n FROM notification WHERE person_id = $1 AND recipient_staff_id = $2 AND kind LIKE 'CONSENT_%' GROUP BY kind ORDER BY kind`,
      [s.person.id, peer.staff.id],
    );
    expect(told).toEqual([
      { kind: 'CONSENT_RECORDED', n: 1 },
      { kind: 'CONSENT_WITHDRAWN', n: 2 },
    ]);
  });
});
