import { syntheticPersonnummer, TestStaff } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

const REGISTER = `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id legalGender birthYear } }`;
const UPDATE = `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { identityKind legalGender birthYear } }`;

/** Issue 11: a personnummer or samordningsnummer decides the legal gender; a person without one needs it stated, with the birth year. */
describe('legal gender and birth year at registration and re-identification', () => {
  const t = useApiTest();
  let worker: TestStaff;
  let workerToken: string;

  beforeAll(async () => {
    worker = (await t.f.careSetting()).socialWorker;
    workerToken = await t.api.login(worker.username, worker.password);
  });

  const stored = (familyName: string) =>
    t.db.dataSource.query(`SELECT legal_gender AS "legalGender" FROM person WHERE family_name = $1`, [familyName]);

  it('refuses a legal gender that contradicts the personnummer or samordningsnummer, and stores nothing', async () => {
    const man = syntheticPersonnummer('19820304', 13, 'MALE');
    const r = await t.api.gql<any>(
      REGISTER,
      {
        i: {
          identityKind: 'PERSONNUMMER',
          identityNumber: man,
          legalGender: 'FEMALE',
          givenName: 'Kim',
          familyName: 'Motsägelse',
          roleInGroup: 'case manager',
        },
      },
      workerToken,
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalGender' });
    expect(await stored('Motsägelse')).toEqual([]);

    // The number's own gender, or none stated (or UNKNOWN), is stored as the number says.
    for (const [serial, legalGender, familyName] of [
      [21, 'MALE', 'Samstämmig'],
      [23, 'UNKNOWN', 'Okänsson'],
      [25, undefined, 'Tystsson'],
    ] as const) {
      const number = syntheticPersonnummer('19820304', serial, 'MALE');
      const ok = await t.api.gql<any>(
        REGISTER,
        {
          i: {
            identityKind: 'PERSONNUMMER',
            identityNumber: number,
            legalGender,
            givenName: 'Kim',
            familyName,
            roleInGroup: 'case manager',
          },
        },
        workerToken,
      );
      expect(ok.errors).toBeUndefined();
      expect(ok.data.registerPerson).toMatchObject({ legalGender: 'MALE', birthYear: 1982 });
    }
  });

  it('needs the birth year and legal gender of a person registered without an identity number', async () => {
    const base = { identityKind: 'UNIDENTIFIED', givenName: 'Okänd', roleInGroup: 'outreach worker' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ familyName: 'Utanår', legalGender: 'FEMALE' }, 'birthYear'],
      [{ familyName: 'Utankön', birthYear: 1990 }, 'legalGender'],
      [{ familyName: 'Okäntkön', birthYear: 1990, legalGender: 'UNKNOWN' }, 'legalGender'],
    ];
    for (const [extra, field] of cases) {
      const r = await t.api.gql<any>(REGISTER, { i: { ...base, ...extra } }, workerToken);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await stored(extra.familyName as string)).toEqual([]);
    }
    const ok = await t.api.gql<any>(
      REGISTER,
      { i: { ...base, familyName: 'Angiven', birthYear: 1990, legalGender: 'FEMALE' } },
      workerToken,
    );
    expect(ok.data.registerPerson).toMatchObject({ legalGender: 'FEMALE', birthYear: 1990 });
  });

  it('lets the number decide when a person is identified later, and refuses a contradicting change after', async () => {
    const registered = await t.api.gql<any>(
      REGISTER,
      {
        i: {
          identityKind: 'UNIDENTIFIED',
          givenName: 'Ny',
          familyName: 'Omidentifierad',
          birthYear: 1990,
          legalGender: 'FEMALE',
          roleInGroup: 'outreach worker',
        },
      },
      workerToken,
    );
    const p = registered.data.registerPerson.id;
    // Staff correct the stated gender while the person has no number.
    expect(
      (await t.api.gql<any>(UPDATE, { p, i: { legalGender: 'MALE' } }, workerToken)).data.updatePerson,
    ).toMatchObject({ legalGender: 'MALE' });

    const number = syntheticPersonnummer('19850720', 41, 'FEMALE');
    const identified = await t.api.gql<any>(
      UPDATE,
      { p, i: { identityKind: 'PERSONNUMMER', identityNumber: number } },
      workerToken,
    );
    expect(identified.errors).toBeUndefined();
    expect(identified.data.updatePerson).toEqual({
      identityKind: 'PERSONNUMMER',
      legalGender: 'FEMALE',
      birthYear: 1985,
    });

    const contradicting = await t.api.gql<any>(UPDATE, { p, i: { legalGender: 'MALE' } }, workerToken);
    expect(contradicting.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalGender' });
    expect(await stored('Omidentifierad')).toEqual([{ legalGender: 'FEMALE' }]);
  });
});
