import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { syntheticPersonnummer, TestStaff } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

const REGISTER = `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`;
const UPDATE = `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { id } }`;

/** Findings 9 and 15: registering is an access, and so is any answer that reveals someone is registered. */
describe('the register: registering and identity-number checks are logged', () => {
  const t = useApiTest();

  const token = (s: TestStaff) => t.api.login(s.username, s.password);
  const logOf = (personId: string) =>
    t.db.dataSource.query(
      `SELECT staff_id AS "staffId", action, entity, ground FROM access_log WHERE person_id = $1 ORDER BY id`,
      [personId],
    );
  const newPerson = (identityNumber: string, familyName = 'Registersson') => ({
    i: { identityKind: 'PERSONNUMMER', identityNumber, givenName: 'Kim', familyName, roleInGroup: 'case manager' },
  });

  it('logs the registration as the registrant’s first access to the new person', async () => {
    const municipality = await t.f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const worker = await t.f.staff(municipality, Profession.SOCIAL_WORKER);
    const r = await t.api.gql<any>(
      REGISTER,
      newPerson(syntheticPersonnummer('19820304', 11, 'FEMALE')),
      await token(worker),
    );
    expect(r.errors).toBeUndefined();
    expect(await logOf(r.data.registerPerson.id)).toEqual([
      { staffId: worker.staff.id, action: 'WRITE', entity: 'registerPerson', ground: 'GROUP_MEMBERSHIP' },
    ]);
  });

  it('logs an identity number found already registered against its holder and tells their coordinator, revealing nothing else', async () => {
    const s = await t.f.careSetting();
    const number = syntheticPersonnummer('19750612', 23, 'MALE');
    const holder = (await t.api.gql<any>(REGISTER, newPerson(number, 'Hemligsson'), await token(s.socialWorker))).data
      .registerPerson.id;

    // Staff of another principal, with no relation to the holder, try to register the same number.
    const clinic = await t.f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const stranger = await t.f.staff(clinic, Profession.NURSE);
    const strangerToken = await token(stranger);
    const again = await t.api.gql<any>(REGISTER, newPerson(number, 'Annansson'), strangerToken);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0].message).toMatch(/ask the collaboration group coordinator for access/);
    expect(JSON.stringify(again)).not.toMatch(new RegExp(`${holder}|Hemligsson`));
    expect(await t.db.dataSource.query(`SELECT id FROM person WHERE family_name = 'Annansson'`)).toEqual([]);

    // The refusal rolled the registration back, but the entry and the notification stand.
    expect((await logOf(holder)).filter((e: any) => e.staffId === stranger.staff.id)).toEqual([
      { staffId: stranger.staff.id, action: 'IDENTITY_MATCH', entity: 'registerPerson', ground: 'REGISTER_CHECK' },
    ]);
    const told = await t.db.dataSource.query(
      `SELECT recipient_staff_id AS "to", params::text AS message FROM notification WHERE person_id = $1 AND kind = 'REGISTER_MATCH'`,
      [holder],
    );
    expect(told).toHaveLength(1);
    expect(told[0].to).toBe(s.socialWorker.staff.id);
    expect(told[0].message).not.toMatch(new RegExp(`Hemligsson|Kim|${number}|${number.slice(0, 8)}`));

    // Changing one's own person to that number reveals the holder the same way.
    const own = (
      await t.api.gql<any>(
        REGISTER,
        {
          i: {
            identityKind: 'UNIDENTIFIED',
            givenName: 'Okänd',
            familyName: 'Klient',
            birthYear: 1975,
            legalGender: 'FEMALE',
            roleInGroup: 'nurse',
          },
        },
        strangerToken,
      )
    ).data.registerPerson.id;
    const update = await t.api.gql<any>(
      UPDATE,
      { p: own, i: { identityKind: 'PERSONNUMMER', identityNumber: number } },
      strangerToken,
    );
    expect(update.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await logOf(holder)).filter((e: any) => e.staffId === stranger.staff.id).map((e: any) => e.entity)).toEqual(
      ['registerPerson', 'updatePerson'],
    );
    expect(await t.db.dataSource.query(`SELECT identity_kind FROM person WHERE id = $1`, [own])).toEqual([
      { identity_kind: 'UNIDENTIFIED' },
    ]);
    expect(
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND kind = 'REGISTER_MATCH'`,
        [holder],
      ),
    ).toEqual([{ n: 2 }]);
  });
});
