import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const SET = `mutation($i: SetProtectedIdentityInput!) { setProtectedIdentity(input: $i) { id protectedIdentity currentHousing { address } } }`;
const REGISTER = `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id protectedIdentity } }`;
const CHANGES = `query($u: Boolean) { protectedIdentityChanges(first: 10, unreviewedOnly: $u) { edges { node { id personId fromLevel toLevel reason changedBy changedAt reviewedAt } } } }`;
const REVIEW = `mutation($i: ReviewProtectedIdentityChangeInput!) { reviewProtectedIdentityChange(input: $i) { id reviewedAt reviewedBy reviewNote } }`;
const ADDRESS = 'Skyddsvägen 12';

/** Finding 1: a person's protection level is changed only by authorised staff of the person's own principal, with a reason, notified and reviewed. */
describe('protected identity: who may change the protection level', () => {
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

  const token = (s: TestStaff) => api.login(s.username, s.password);
  const authorise = (s: TestStaff) => f.staffService.setRoles(s.staff.id, { whereaboutsAuthorised: true });
  const levelOf = async (personId: string) =>
    (await db.dataSource.query(`SELECT protected_identity FROM person WHERE id = $1`, [personId]))[0]
      .protected_identity;

  it("refuses the other principal, an NGO and emergency access, even when authorised for whereabouts, and lets only the person's own principal change it", async () => {
    const s = await f.careSetting();
    const ngoWorker = await f.staff(s.ngo, Profession.PEER_SUPPORT_WORKER);
    await f.collaboration.addMember(s.person.id, {
      staffId: ngoWorker.staff.id,
      role: 'peer supporter',
      votingRepresentative: false,
    });
    const admin = await f.staff(s.municipality, Profession.OTHER, { administrator: true });
    // Everyone who tries below is authorised for protected whereabouts: only their ground differs.
    for (const who of [s.psychiatrist, ngoWorker, s.outsider, admin]) await authorise(who);
    const social = await token(s.socialWorker);
    expect(
      (
        await api.gql<any>(
          SET,
          { i: { personId: s.person.id, level: 'SKYDDAD_FOLKBOKFORING', reason: 'Skatteverket decision 2026-03' } },
          social,
        )
      ).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    await authorise(s.socialWorker);
    const protectedNow = await api.gql<any>(
      SET,
      { i: { personId: s.person.id, level: 'SKYDDAD_FOLKBOKFORING', reason: 'Skatteverket decision 2026-03' } },
      social,
    );
    expect(protectedNow.errors).toBeUndefined();
    expect(protectedNow.data.setProtectedIdentity.protectedIdentity).toBe('SKYDDAD_FOLKBOKFORING');
    const move = `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`;
    expect(
      (
        await api.gql<any>(
          move,
          { i: { personId: s.person.id, kind: 'TRAINING_FLAT', startedOn: '2026-02-01', address: ADDRESS } },
          social,
        )
      ).errors,
    ).toBeUndefined();

    const outsider = await token(s.outsider);
    const opened = await api.gql<any>(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Found unconscious at the shelter' } },
      outsider,
    );
    expect(opened.errors).toBeUndefined();
    const lift = { i: { personId: s.person.id, level: 'NONE', reason: 'The person says it is not needed' } };
    for (const [who, t] of [
      ['other principal (consent)', await token(s.psychiatrist)],
      ['NGO member', await token(ngoWorker)],
      ['emergency access', outsider],
      ['administrator', await token(admin)],
    ] as const) {
      const r = await api.gql<any>(SET, lift, t);
      expect([who, r.errors?.[0].extensions?.code]).toEqual([who, expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]);
      expect(r.data).toBeNull();
      expect(JSON.stringify(r)).not.toContain(ADDRESS);
    }
    // The old side door: updatePerson no longer takes a protection level at all.
    const viaUpdate = await api.gql<any>(
      `mutation($p: ID!) { updatePerson(personId: $p, input: { protectedIdentity: NONE }) { id currentHousing { address } } }`,
      { p: s.person.id },
      await token(s.psychiatrist),
    );
    expect(viaUpdate.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(viaUpdate)).not.toContain(ADDRESS);
    expect(await levelOf(s.person.id)).toBe('SKYDDAD_FOLKBOKFORING');
    const changes = await db.dataSource.query(
      `SELECT from_level, to_level, reason, changed_by FROM protected_identity_change WHERE person_id = $1`,
      [s.person.id],
    );
    expect(changes).toEqual([
      {
        from_level: 'NONE',
        to_level: 'SKYDDAD_FOLKBOKFORING',
        reason: 'Skatteverket decision 2026-03',
        changed_by: s.socialWorker.staff.id,
      },
    ]);

    // A reason is required, and saying the same level again changes nothing.
    const short = await api.gql<any>(SET, { i: { personId: s.person.id, level: 'NONE', reason: 'because' } }, social);
    expect(short.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(short.errors)).toContain('reason');
    expect(
      (
        await api.gql<any>(
          SET,
          { i: { personId: s.person.id, level: 'SKYDDAD_FOLKBOKFORING', reason: 'Skatteverket decision again' } },
          social,
        )
      ).errors?.[0].extensions?.code,
    ).toBe('INVALID_STATE');
  });

  it('records, notifies, logs and lists every change for review, dated by the database', async () => {
    const s = await f.careSetting();
    await authorise(s.socialWorker);
    const social = await token(s.socialWorker);
    const [{ before }] = await db.dataSource.query(`SELECT now() AS before`);
    const r = await api.gql<any>(
      SET,
      {
        i: {
          personId: s.person.id,
          level: 'FINGERADE_PERSONUPPGIFTER',
          reason: 'Assumed identity granted by Skatteverket',
        },
      },
      social,
    );
    expect(r.errors).toBeUndefined();

    const [change] = await db.dataSource.query(
      `SELECT id, changed_at, changed_by FROM protected_identity_change WHERE person_id = $1`,
      [s.person.id],
    );
    expect(change.changed_by).toBe(s.socialWorker.staff.id);
    expect(change.changed_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    const told = await db.dataSource.query(
      `SELECT recipient_staff_id AS "to", params::text AS message FROM notification WHERE person_id = $1 AND kind = 'PROTECTED_IDENTITY_CHANGED'`,
      [s.person.id],
    );
    expect(told.map((n: any) => n.to).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
    );
    for (const n of told)
      expect(n.message).not.toMatch(new RegExp(`${s.person.familyName}|${s.person.givenName}|FINGERADE|Skatteverket`));
    const logged = await db.dataSource.query(
      `SELECT action, entity, ground FROM access_log WHERE person_id = $1 AND staff_id = $2 AND entity = 'setProtectedIdentity'`,
      [s.person.id, s.socialWorker.staff.id],
    );
    expect(logged).toEqual([{ action: 'WRITE', entity: 'setProtectedIdentity', ground: 'GROUP_MEMBERSHIP' }]);

    // The database keeps the record honest: no back-dated insert, no level changed without its record, no edited record.
    await db.dataSource.query(
      `INSERT INTO protected_identity_change (person_id, from_level, to_level, reason, changed_by, changed_at) VALUES ($1, 'FINGERADE_PERSONUPPGIFTER', 'NONE', 'back-dated attempt', $2, '2020-01-01')`,
      [s.person.id, s.psychiatrist.staff.id],
    );
    const [dated] = await db.dataSource.query(
      `SELECT changed_at FROM protected_identity_change WHERE reason = 'back-dated attempt' AND person_id = $1`,
      [s.person.id],
    );
    expect(dated.changed_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    await expect(
      db.dataSource.query(`UPDATE person SET protected_identity = 'SEKRETESSMARKERING' WHERE id = $1`, [s.person.id]),
    ).rejects.toThrow(/recorded reason/);
    await expect(
      db.dataSource.query(`UPDATE protected_identity_change SET reason = 'rewritten reason' WHERE id = $1`, [
        change.id,
      ]),
    ).rejects.toThrow(/reviewed, once/);

    // Auditors list it and review it, once; nobody else may.
    const auditor = await f.staff(s.municipality, Profession.OTHER, { auditor: true });
    const audit = await token(auditor);
    expect((await api.gql<any>(CHANGES, { u: true }, social)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = (await api.gql<any>(CHANGES, { u: true }, audit)).data.protectedIdentityChanges.edges.map(
      (e: any) => e.node,
    );
    expect(listed.find((c: any) => c.id === change.id)).toMatchObject({
      personId: s.person.id,
      fromLevel: 'NONE',
      toLevel: 'FINGERADE_PERSONUPPGIFTER',
      changedBy: s.socialWorker.staff.id,
      reviewedAt: null,
    });
    expect((await api.gql<any>(REVIEW, { i: { id: change.id } }, social)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const reviewed = await api.gql<any>(REVIEW, { i: { id: change.id, note: 'Matches the decision on file' } }, audit);
    expect(reviewed.data.reviewProtectedIdentityChange).toMatchObject({
      reviewedBy: auditor.staff.id,
      reviewNote: 'Matches the decision on file',
    });
    expect((await api.gql<any>(REVIEW, { i: { id: change.id } }, audit)).errors?.[0].extensions?.code).toBe(
      'INVALID_STATE',
    );
    const unreviewed = (await api.gql<any>(CHANGES, { u: true }, audit)).data.protectedIdentityChanges.edges.map(
      (e: any) => e.node.id,
    );
    expect(unreviewed).not.toContain(change.id);

    // Page by page (one at a time), every change comes once: the cursor keeps the database's microseconds.
    const seen: string[] = [];
    for (let after: string | null = null, more = true; more;) {
      const page: any = (
        await api.gql<any>(
          `query($a: String) { protectedIdentityChanges(first: 1, after: $a) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
          audit,
        )
      ).data.protectedIdentityChanges;
      seen.push(...page.edges.map((e: any) => e.node.id));
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    const all = await db.dataSource.query(`SELECT id FROM protected_identity_change ORDER BY changed_at DESC, id DESC`);
    expect(seen).toEqual(all.map((c: any) => c.id));
  });

  it('lets the registering staff member give a new person a protection level', async () => {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const worker = await f.staff(municipality, Profession.SOCIAL_WORKER);
    const r = await api.gql<any>(
      REGISTER,
      {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Skyddad',
          familyName: 'Person',
          birthYear: 1990,
          legalGender: 'MALE',
          protectedIdentity: 'SEKRETESSMARKERING',
          roleInGroup: 'case manager',
        },
      },
      await token(worker),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.registerPerson.protectedIdentity).toBe('SEKRETESSMARKERING');
  });
});
