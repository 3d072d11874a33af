import { IdentityKind, Profession } from '../../libs/domain/src';
import { syntheticPersonnummer } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

/**
 * Issue 12 §2, the auditor's API beneath the audit screens: the log extract a person asks for, found by their
 * identity number (auditors may not search the register); the systematic review of a sample, marked entry by
 * entry with what was found (once, append-only, the database's clock, itself logged); and still no care data.
 */
describe("the auditor's log extract by identity number and the review of a sample", () => {
  const t = useApiTest();

  const EXTRACT = `query($n: String!, $from: DateTime, $to: DateTime) {
    accessLogForIdentityNumber(identityNumber: $n, from: $from, to: $to) { registered entries { id personId staffName organisationName action entity ground } }
  }`;

  async function setting() {
    const s = await t.f.careSetting();
    const auditorStaff = await t.f.staff(s.municipality, Profession.OTHER, { auditor: true });
    const number = syntheticPersonnummer('19800101', 100 + Math.floor(Math.random() * 800), 'FEMALE');
    const person = await t.f.person(s.socialWorker, {
      identityKind: IdentityKind.PERSONNUMMER,
      identityNumber: number,
    });
    const [social, auditor] = await Promise.all(
      [s.socialWorker, auditorStaff].map((x) => t.api.login(x.username, x.password)),
    );
    return { s, auditorStaff, number, person, social, auditor };
  }

  it("finds the person's entries by their number in any accepted form, logs the reading against the person, and names no person data", async () => {
    const { s, auditorStaff, number, person, social, auditor } = await setting();
    const read = await t.api.gql(`query($id: ID!) { person(id: $id) { id givenName } }`, { id: person.id }, social);
    expect(read.errors).toBeUndefined();

    const dashed = `${number.slice(2, 8)}-${number.slice(8)}`;
    const extract = await t.api.gql<{
      accessLogForIdentityNumber: { registered: boolean; entries: Array<Record<string, string>> };
    }>(EXTRACT, { n: dashed }, auditor);
    expect(extract.errors).toBeUndefined();
    const { registered, entries } = extract.data!.accessLogForIdentityNumber;
    expect(registered).toBe(true);
    expect(new Set(entries.map((e) => e.personId))).toEqual(new Set([person.id]));
    expect(entries.map((e) => e.entity)).toEqual(expect.arrayContaining(['registerPerson', 'person']));
    expect(entries.find((e) => e.entity === 'person')).toMatchObject({
      staffName: `${s.socialWorker.staff.givenName} ${s.socialWorker.staff.familyName}`,
      ground: 'GROUP_MEMBERSHIP',
    });
    // Who looked, never what the person is called or where they live.
    expect(JSON.stringify(extract.data)).not.toContain(person.familyName);

    const logged = await t.db.dataSource.query(
      `SELECT action, ground FROM access_log WHERE person_id = $1 AND staff_id = $2`,
      [person.id, auditorStaff.staff.id],
    );
    expect(logged).toEqual([{ action: 'READ_ACCESS_LOG', ground: 'AUDIT' }]);

    // The period filters: nothing before the person existed.
    const before = await t.api.gql<{ accessLogForIdentityNumber: { entries: unknown[] } }>(
      EXTRACT,
      { n: number, from: '2000-01-01T00:00:00Z', to: '2000-02-01T00:00:00Z' },
      auditor,
    );
    expect(before.data!.accessLogForIdentityNumber.entries).toEqual([]);
  });

  it('answers a number nobody holds as not registered, refuses an invalid number at its field, and refuses care staff', async () => {
    const { social, auditor } = await setting();
    const nobody = await t.api.gql<{ accessLogForIdentityNumber: { registered: boolean; entries: unknown[] } }>(
      EXTRACT,
      { n: syntheticPersonnummer('19450303', 501, 'MALE') },
      auditor,
    );
    expect(nobody.data!.accessLogForIdentityNumber).toEqual({ registered: false, entries: [] });

    const invalid = await t.api.gql(EXTRACT, { n: '19800101-0000' }, auditor);
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identityNumber' });

    const staff = await t.api.gql(EXTRACT, { n: syntheticPersonnummer('19450303', 501, 'MALE') }, social);
    expect(staff.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('finds the extract by a number the person held before', async () => {
    const { person, number, social, auditor } = await setting();
    const newNumber = syntheticPersonnummer('19800101', 901, 'FEMALE');
    const changed = await t.api.gql(
      `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id } }`,
      { p: person.id, i: { identityKind: 'PERSONNUMMER', identityNumber: newNumber } },
      social,
    );
    expect(changed.errors).toBeUndefined();
    for (const n of [number, newNumber]) {
      const extract = await t.api.gql<{
        accessLogForIdentityNumber: { registered: boolean; entries: Array<{ personId: string }> };
      }>(EXTRACT, { n }, auditor);
      expect(extract.data!.accessLogForIdentityNumber.registered).toBe(true);
      expect(extract.data!.accessLogForIdentityNumber.entries.map((e) => e.personId)).toContain(person.id);
    }
  });

  it('draws the same sample again for the same seed, and marks an entry reviewed once, with its finding, by the database clock, logged', async () => {
    const { person, auditorStaff, social, auditor } = await setting();
    await t.api.gql(`query($id: ID!) { person(id: $id) { id } }`, { id: person.id }, social);
    const to = new Date(Date.now() + 60_000).toISOString();
    const SAMPLE = `query($seed: String, $to: DateTime) { accessLogSample(size: 5, seed: $seed, to: $to) { id personId reviewedAt reviewedBy reviewNote } }`;
    type Sample = {
      accessLogSample: Array<{
        id: string;
        personId: string;
        reviewedAt: string | null;
        reviewedBy: string | null;
        reviewNote: string | null;
      }>;
    };
    const first = await t.api.gql<Sample>(SAMPLE, { seed: 'review-2026-12', to }, auditor);
    const again = await t.api.gql<Sample>(SAMPLE, { seed: 'review-2026-12', to }, auditor);
    expect(first.errors).toBeUndefined();
    expect(first.data!.accessLogSample.length).toBe(5);
    expect(again.data!.accessLogSample.map((e) => e.id)).toEqual(first.data!.accessLogSample.map((e) => e.id));
    const badSeed = await t.api.gql(SAMPLE, { seed: 'no spaces', to }, auditor);
    expect(badSeed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'seed' });

    const entry = first.data!.accessLogSample[0];
    expect(entry.reviewedAt).toBeNull();
    const REVIEW = `mutation($i: ReviewAccessLogEntryInput!) { reviewAccessLogEntry(input: $i) { id reviewedAt reviewedBy reviewNote } }`;
    const [{ now: before }] = await t.db.dataSource.query(`SELECT now() AS now`);
    const reviewed = await t.api.gql<{
      reviewAccessLogEntry: { reviewedAt: string; reviewedBy: string; reviewNote: string };
    }>(REVIEW, { i: { entryId: entry.id, note: '  Behörig: patientens vårdkontakt  ' } }, auditor);
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data!.reviewAccessLogEntry).toMatchObject({
      reviewedBy: auditorStaff.staff.id,
      reviewNote: 'Behörig: patientens vårdkontakt',
    });
    expect(new Date(reviewed.data!.reviewAccessLogEntry.reviewedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(before).getTime() - 1,
    );
    const shown = await t.api.gql<Sample>(SAMPLE, { seed: 'review-2026-12', to }, auditor);
    expect(shown.data!.accessLogSample[0]).toMatchObject({
      id: entry.id,
      reviewedBy: auditorStaff.staff.id,
      reviewNote: 'Behörig: patientens vårdkontakt',
    });

    const twice = await t.api.gql(REVIEW, { i: { entryId: entry.id, note: 'Changed my mind' } }, auditor);
    expect(twice.errors?.[0].extensions?.code).toBe('INVALID_STATE');
    const missing = await t.api.gql(REVIEW, { i: { entryId: '999999999' } }, auditor);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const byStaff = await t.api.gql(REVIEW, { i: { entryId: first.data!.accessLogSample[1].id } }, social);
    expect(byStaff.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const logged = await t.db.dataSource.query(
      `SELECT action, entity, ground FROM access_log WHERE person_id = $1 AND staff_id = $2 AND entity = 'reviewAccessLogEntry'`,
      [entry.personId, auditorStaff.staff.id],
    );
    expect(logged).toEqual([{ action: 'REVIEW', entity: 'reviewAccessLogEntry', ground: 'AUDIT' }]);

    // Append-only: the database refuses a changed or removed review, and a back-dated one gets the database's time.
    await expect(
      t.db.dataSource.query(`UPDATE access_log_review SET finding = 'rewritten' WHERE entry_id = $1`, [entry.id]),
    ).rejects.toThrow();
    await expect(
      t.db.dataSource.query(`DELETE FROM access_log_review WHERE entry_id = $1`, [entry.id]),
    ).rejects.toThrow();
    const other = first.data!.accessLogSample[2].id;
    await t.db.dataSource.query(
      `INSERT INTO access_log_review (entry_id, reviewed_by, reviewed_at) VALUES ($1, $2, '2001-01-01')`,
      [other, auditorStaff.staff.id],
    );
    const [stamped] = await t.db.dataSource.query(
      `SELECT reviewed_at > now() - interval '1 hour' AS recent FROM access_log_review WHERE entry_id = $1`,
      [other],
    );
    expect(stamped.recent).toBe(true);
  });

  it('names who opened an emergency access, who changed a protection and who ended an episode, and gives the auditor no care data', async () => {
    const { s, person, auditor } = await setting();
    const outsider = await t.api.login(s.outsider.username, s.outsider.password);
    const opened = await t.api.gql(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: person.id, reason: 'Found unwell at the shelter' } },
      outsider,
    );
    expect(opened.errors).toBeUndefined();
    const listed = await t.api.gql<{
      emergencyAccesses: {
        edges: Array<{
          node: { personId: string; staff: { givenName: string; familyName: string }; organisation: { name: string } };
        }>;
      };
    }>(
      `{ emergencyAccesses(first: 20, unreviewedOnly: true) { edges { node { personId staff { givenName familyName } organisation { name } } } } }`,
      {},
      auditor,
    );
    expect(listed.errors).toBeUndefined();
    const mine = listed.data!.emergencyAccesses.edges.find((e) => e.node.personId === person.id)!;
    expect(mine.node).toMatchObject({
      staff: { givenName: s.outsider.staff.givenName, familyName: s.outsider.staff.familyName },
      organisation: { name: s.municipality.name },
    });

    const endings = await t.api.gql(
      `{ episodeEndingsToReview(first: 5) { episodeId endedByStaff { familyName } organisation { name } } }`,
      {},
      auditor,
    );
    expect(endings.errors).toBeUndefined();
    const changes = await t.api.gql(
      `{ protectedIdentityChanges(first: 5) { edges { node { id changedByStaff { familyName } } } } }`,
      {},
      auditor,
    );
    expect(changes.errors).toBeUndefined();

    // Still no care data: the person, the overview and the caseload refuse or answer nothing.
    const care = await t.api.gql(`query($id: ID!) { person(id: $id) { familyName } }`, { id: person.id }, auditor);
    expect(care.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const overview = await t.api.gql(
      `query($id: ID!) { patientOverview(personId: $id) { person { familyName } } }`,
      { id: person.id },
      auditor,
    );
    expect(overview.data?.patientOverview ?? null).toBeNull();
    const caseload = await t.api.gql<{ caseload: { edges: unknown[] } }>(
      `{ caseload(first: 50) { edges { node { person { id } } } } }`,
      {},
      auditor,
    );
    expect(caseload.data?.caseload.edges ?? []).toEqual([]);
  });
});
