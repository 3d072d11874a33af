import { IdentityKind } from '../../libs/domain/src';
import { syntheticPersonnummer, TestStaff } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

const FIND = `query($i: FindPersonInput!) { findPersons(input: $i) { persons { id givenName familyName birthYear } registeredElsewhere } }`;

/** Issue 11, "find a person": staff find whom they may see; a full identity number tells others only "ask for access", logged and told. */
describe('finding a person before registering', () => {
  const t = useApiTest();

  const token = (s: TestStaff) => t.api.login(s.username, s.password);
  const logOf = (personId: string, staffId: string) =>
    t.db.dataSource.query(
      `SELECT action, entity, ground FROM access_log WHERE person_id = $1 AND staff_id = $2 ORDER BY id`,
      [personId, staffId],
    );
  const matchNotices = (personId: string) =>
    t.db.dataSource.query(
      `SELECT recipient_staff_id AS "to", params::text AS message FROM notification WHERE person_id = $1 AND kind = 'REGISTER_MATCH'`,
      [personId],
    );

  /** A person with a personnummer in a care setting: the social worker registered them and coordinates their group. */
  async function setting(serial: number) {
    const s = await t.f.careSetting();
    const number = syntheticPersonnummer('19780415', serial, 'MALE');
    const person = await t.f.person(s.socialWorker, {
      identityKind: IdentityKind.PERSONNUMMER,
      identityNumber: number,
      givenName: 'Sökbar',
      familyName: `Hittasson${serial}`,
    });
    return { ...s, number, person };
  }

  it('answers staff of the group by identity number, temporary reference, or exact name and birth year', async () => {
    const { socialWorker, number, person } = await setting(31);
    const own = await token(socialWorker);
    const keys = [
      { identityNumber: `${number.slice(2, 8)}-${number.slice(8)}` }, // the 10-digit form, normalised as in registration
      { temporaryReference: person.temporaryReference.toLowerCase() },
      { givenName: 'SÖKBAR', familyName: person.familyName.toLowerCase(), birthYear: 1978 },
    ];
    for (const i of keys) {
      const r = await t.api.gql<any>(FIND, { i }, own);
      expect(r.errors).toBeUndefined();
      expect(r.data.findPersons).toEqual({
        persons: [{ id: person.id, givenName: 'Sökbar', familyName: person.familyName, birthYear: 1978 }],
        registeredElsewhere: false,
      });
    }
    // Exact, never a prefix: a search cannot list persons letter by letter.
    const prefix = await t.api.gql<any>(
      FIND,
      { i: { givenName: 'Sök', familyName: person.familyName, birthYear: 1978 } },
      own,
    );
    expect(prefix.data.findPersons).toEqual({ persons: [], registeredElsewhere: false });
    // Each answer is a read of the person, logged like any other; nobody is told of a search by one who may see.
    expect(await logOf(person.id, socialWorker.staff.id)).toEqual(
      expect.arrayContaining([{ action: 'READ_PERSON', entity: 'findPersons', ground: 'GROUP_MEMBERSHIP' }]),
    );
    expect((await logOf(person.id, socialWorker.staff.id)).filter((e: any) => e.entity === 'findPersons')).toHaveLength(
      3,
    );
    expect(await matchNotices(person.id)).toEqual([]);
  });

  it('gives staff without a relation nothing from a name or a reference: no answer, no log entry, no notice', async () => {
    const { outsider, person } = await setting(33);
    const theirs = await token(outsider);
    for (const i of [
      { temporaryReference: person.temporaryReference },
      { givenName: 'Sökbar', familyName: person.familyName, birthYear: 1978 },
    ]) {
      const r = await t.api.gql<any>(FIND, { i }, theirs);
      expect(r.errors).toBeUndefined();
      expect(r.data.findPersons).toEqual({ persons: [], registeredElsewhere: false });
    }
    expect(await logOf(person.id, outsider.staff.id)).toEqual([]);
    expect(await matchNotices(person.id)).toEqual([]);
  });

  it('answers a full identity number held by a person the searcher may not see with "registered elsewhere", logged and told to the coordinator', async () => {
    const { socialWorker, outsider, number, person } = await setting(35);
    const r = await t.api.gql<any>(FIND, { i: { identityNumber: number } }, await token(outsider));
    expect(r.errors).toBeUndefined();
    expect(r.data.findPersons).toEqual({ persons: [], registeredElsewhere: true });
    expect(JSON.stringify(r)).not.toMatch(new RegExp(`${person.id}|${person.familyName}|Sökbar`));
    expect(await logOf(person.id, outsider.staff.id)).toEqual([
      { action: 'IDENTITY_MATCH', entity: 'findPersons', ground: 'REGISTER_CHECK' },
    ]);
    const told = await matchNotices(person.id);
    expect(told).toHaveLength(1);
    expect(told[0].to).toBe(socialWorker.staff.id);
    expect(told[0].message).not.toMatch(new RegExp(`Sökbar|${person.familyName}|${number.slice(0, 8)}`));

    // A number nobody holds answers nothing, and tells nobody.
    const free = await t.api.gql<any>(
      FIND,
      { i: { identityNumber: syntheticPersonnummer('19780415', 37, 'FEMALE') } },
      await token(outsider),
    );
    expect(free.data.findPersons).toEqual({ persons: [], registeredElsewhere: false });
    expect(await matchNotices(person.id)).toHaveLength(1);
  });

  it('refuses a search by no key, by two keys, by an invalid number or by half a name, naming the field', async () => {
    const s = await t.f.careSetting();
    const own = await token(s.socialWorker);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'input'],
      [
        {
          identityNumber: syntheticPersonnummer('19780415', 39, 'MALE'),
          temporaryReference: s.person.temporaryReference,
        },
        'input',
      ],
      [
        {
          temporaryReference: s.person.temporaryReference,
          givenName: 'Alex',
          familyName: s.person.familyName,
          birthYear: 1980,
        },
        'input',
      ],
      [{ identityNumber: '19780415-0000' }, 'identityNumber'],
      [{ givenName: 'Alex', familyName: s.person.familyName }, 'birthYear'],
      [{ familyName: s.person.familyName, birthYear: 1980 }, 'givenName'],
    ];
    for (const [i, field] of cases) {
      const r = await t.api.gql<any>(FIND, { i }, own);
      expect(r.data).toBeNull();
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
