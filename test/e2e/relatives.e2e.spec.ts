import { TestStaff } from '../support/fixtures';
import { today } from '../../libs/domain/src/time';
import { AddRelativeDocument, EndRelativeDocument } from '../../apps/web/src/api/generated';
import { useApiTest } from '../support/api-test';

const UPDATE = `mutation($r: ID!, $i: UpdateRelativeInput!) { updateRelative(relativeId: $r, input: $i) { id name relation phone mayParticipate supportNeeds endedOn } }`;
const RELATIVES = `query($p: ID!) { person(id: $p) { relatives { id name } childImpactNote } }`;

/** Issue 11: relatives are added, changed and ended (never back-dated, never deleted); each change is logged and told to the group. */
describe('relatives of a person', () => {
  const t = useApiTest();
  let worker: TestStaff;
  let token: string;
  let personId: string;
  let psychiatristId: string;

  beforeAll(async () => {
    const s = await t.f.careSetting();
    worker = s.socialWorker;
    personId = s.person.id;
    psychiatristId = s.psychiatrist.staff.id;
    token = await t.api.login(worker.username, worker.password);
  });

  const told = async () =>
    (
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND recipient_staff_id = $2 AND kind = 'RELATIVES_CHANGED'`,
        [personId, psychiatristId],
      )
    )[0].n;
  const logged = async (entity: string) =>
    (
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND staff_id = $2 AND entity = $3 AND action = 'WRITE'`,
        [personId, worker.staff.id, entity],
      )
    )[0].n;

  it('adds, changes and ends a relative: each change logged and told to the group; the ended one is kept but no longer listed', async () => {
    const before = await told();
    const added = await t.api.gql(
      AddRelativeDocument,
      { personId: personId, input: { name: 'Syster Svensson', relation: 'syster', mayParticipate: false } },
      token,
    );
    expect(added.errors).toBeUndefined();
    const id = added.data!.addRelative.id;

    const changed = await t.api.gql<any>(
      UPDATE,
      { r: id, i: { mayParticipate: true, phone: '070-123 45 67', supportNeeds: 'Trött, erbjuden anhörigstöd' } },
      token,
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data.updateRelative).toMatchObject({
      name: 'Syster Svensson',
      relation: 'syster',
      mayParticipate: true,
      phone: '070-123 45 67',
      endedOn: null,
    });

    const ended = await t.api.gql(EndRelativeDocument, { relativeId: id }, token);
    expect(ended.errors).toBeUndefined();
    // Dated by the server on the day it is recorded: there is no way to give another day.
    expect(ended.data!.endRelative.endedOn).toBe(today());
    expect(
      (await t.api.gql<any>(RELATIVES, { p: personId }, token)).data.person.relatives.map((r: { id: string }) => r.id),
    ).not.toContain(id);
    expect(await t.db.dataSource.query(`SELECT name FROM relative WHERE id = $1`, [id])).toEqual([
      { name: 'Syster Svensson' },
    ]);

    expect((await told()) - before).toBe(3);
    expect(await logged('updateRelative')).toBeGreaterThanOrEqual(1);
    expect(await logged('endRelative')).toBeGreaterThanOrEqual(1);
  });

  it('refuses to change or end an ended relative, and the database refuses it too', async () => {
    const id = (
      await t.api.gql(
        AddRelativeDocument,
        { personId: personId, input: { name: 'Bror Berg', relation: 'bror' } },
        token,
      )
    ).data!.addRelative.id;
    await t.api.gql(EndRelativeDocument, { relativeId: id }, token);
    for (const [query, variables] of [
      [UPDATE, { r: id, i: { name: 'Annat namn' } }],
      [EndRelativeDocument.toString(), { relativeId: id }],
    ] as const) {
      const r = await t.api.gql<any>(query, variables, token);
      expect(r.errors?.[0].extensions?.code).toBe('INVALID_STATE');
    }
    await expect(
      t.db.dataSource.query(`UPDATE relative SET ended_on = '2000-01-01' WHERE id = $1`, [id]),
    ).rejects.toThrow(/ended relative/);
  });

  it('refuses an empty name and a relative of a person one may not write, alike for one that does not exist', async () => {
    const id = (
      await t.api.gql(
        AddRelativeDocument,
        { personId: personId, input: { name: 'Moster Malm', relation: 'moster' } },
        token,
      )
    ).data!.addRelative.id;
    const empty = await t.api.gql<any>(UPDATE, { r: id, i: { name: '   ' } }, token);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    const s = await t.f.careSetting();
    const outsiderToken = await t.api.login(s.outsider.username, s.outsider.password);
    const refused = await t.api.gql<any>(UPDATE, { r: id, i: { mayParticipate: true } }, outsiderToken);
    const missing = await t.api.gql<any>(
      UPDATE,
      { r: '00000000-0000-4000-8000-000000000000', i: { mayParticipate: true } },
      outsiderToken,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(refused.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(JSON.stringify(refused)).not.toContain('Moster Malm');
  });

  it('refuses the relatives and the children question to an organisation a consent withholds the family from, without revealing them', async () => {
    const s = await t.f.careSetting();
    const own = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const psychiatrist = await t.api.login(s.psychiatrist.username, s.psychiatrist.password);
    const id = (
      await t.api.gql(
        AddRelativeDocument,
        { personId: s.person.id, input: { name: 'Faster Fredlund', relation: 'faster' } },
        own,
      )
    ).data!.addRelative.id;
    // Allowed before the limitation: the psychiatrist is in the group with the person's consent.
    expect((await t.api.gql<any>(UPDATE, { r: id, i: { mayParticipate: true } }, psychiatrist)).errors).toBeUndefined();
    const limited = await t.api.gql<any>(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          limitations: [{ organisationId: s.psychiatry.id, category: 'FAMILY' }],
        },
      },
      own,
    );
    expect(limited.errors).toBeUndefined();
    for (const [query, variables] of [
      [UPDATE, { r: id, i: { mayParticipate: false } }],
      [EndRelativeDocument.toString(), { relativeId: id }],
    ] as const) {
      const r = await t.api.gql<any>(query, variables, psychiatrist);
      expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toContain('Fredlund');
    }
    expect(
      await t.db.dataSource.query(
        `SELECT may_participate AS "mayParticipate", ended_on AS "endedOn" FROM relative WHERE id = $1`,
        [id],
      ),
    ).toEqual([{ mayParticipate: true, endedOn: null }]);
    // Nor the children: the children question is not answered (and so not overwritten) from there.
    const children = await t.api.gql<any>(
      `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id } }`,
      { p: s.person.id, i: { childrenStatus: 'NONE', childImpactNote: '' } },
      psychiatrist,
    );
    expect(children.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const phone = await t.api.gql<any>(
      `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id } }`,
      { p: s.person.id, i: { phone: '08-123 456' } },
      psychiatrist,
    );
    expect(phone.errors).toBeUndefined();
  });

  it('keeps the child-impact note with the children question, and clears it when emptied', async () => {
    const UPDATE_PERSON = `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id childrenStatus } }`;
    const r = await t.api.gql<any>(
      UPDATE_PERSON,
      {
        p: personId,
        i: {
          childrenStatus: 'YES',
          children: [{ birthYear: 2015, livesWithPerson: false }],
          childImpactNote: ' Barnen bor hos mormor. ',
        },
      },
      token,
    );
    expect(r.errors).toBeUndefined();
    expect((await t.api.gql<any>(RELATIVES, { p: personId }, token)).data.person.childImpactNote).toBe(
      'Barnen bor hos mormor.',
    );
    await t.api.gql<any>(UPDATE_PERSON, { p: personId, i: { childImpactNote: '' } }, token);
    expect((await t.api.gql<any>(RELATIVES, { p: personId }, token)).data.person.childImpactNote).toBeNull();
  });
});
