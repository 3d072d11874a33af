import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures, syntheticPersonnummer, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const REGISTER = `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }`;

/** Findings 9 and 15: registering is an access, and so is any answer that reveals someone is registered. */
describe('the register: registering and identity-number checks are logged', () => {
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
  const logOf = (personId: string) =>
    db.dataSource.query(`SELECT staff_id AS "staffId", action, entity, ground FROM access_log WHERE person_id = $1 ORDER BY id`, [personId]);
  const newPerson = (identityNumber: string, familyName = 'Registersson') => ({
    i: { identityKind: 'PERSONNUMMER', identityNumber, givenName: 'Kim', familyName, roleInGroup: 'case manager' },
  });

  it('logs the registration as the registrant’s first access to the new person', async () => {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const worker = await f.staff(municipality, Profession.SOCIAL_WORKER);
    const r = await api.gql<any>(REGISTER, newPerson(syntheticPersonnummer('19820304', 11, 'FEMALE')), await token(worker));
    expect(r.errors).toBeUndefined();
    expect(await logOf(r.data.registerPerson.id)).toEqual([{ staffId: worker.staff.id, action: 'WRITE', entity: 'registerPerson', ground: 'GROUP_MEMBERSHIP' }]);
  });

});
