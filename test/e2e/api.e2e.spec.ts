import { IdentityKind, Principal, ProtectedIdentity, SipPlanService } from '../../libs/domain/src';
import { Fixtures, syntheticPersonnummer } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OVERVIEW = `query($id: ID!) {
  patientOverview(personId: $id) {
    person { id givenName identityNumber protectedIdentity }
    sipPlan { status followUpOn interventions { description responsiblePrincipal responsibleOrganisation { name } } }
    roster { role principal votingRepresentative staff { familyName profession organisation { name principal } } }
    recentContacts { kind location summary staff { profession } }
    currentHousing { kind address }
  }
}`;

describe('GraphQL API over HTTP', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let setting: Awaited<ReturnType<Fixtures['careSetting']>>;
  let socialWorkerToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    setting = await f.careSetting();
    socialWorkerToken = await api.login(setting.socialWorker.username, setting.socialWorker.password);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  describe('authentication', () => {
    it('refuses every operation without a token', async () => {
      const result = await api.gql(`{ me { id } }`);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data).toBeNull();
    });

    it('refuses a forged token', async () => {
      const result = await api.gql(`{ me { id } }`, {}, socialWorkerToken.slice(0, -4) + 'AAAA');
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('logs in with a password and answers "me"', async () => {
      const me = await api.gql<{ me: { id: string; profession: string } }>(
        `{ me { id profession } }`,
        {},
        socialWorkerToken,
      );
      expect(me.data?.me).toEqual({ id: setting.socialWorker.staff.id, profession: 'SOCIAL_WORKER' });
    });

    it('gives the same answer for a wrong password and an unknown user', async () => {
      const login = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
      const wrong = await api.gql(login, { input: { username: setting.socialWorker.username, password: 'nope' } });
      const unknown = await api.gql(login, { input: { username: 'nobody-here', password: 'nope' } });
      expect(wrong.errors?.[0]).toMatchObject({
        message: 'Wrong username or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
    });

    it('stops password guessing after five failures, for known and unknown usernames alike', async () => {
      const target = await f.staff(setting.municipality, 'NURSE' as never);
      const login = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
      for (const username of [target.username, 'no-such-user']) {
        for (let i = 0; i < 5; i++) {
          const r = await api.gql(login, { input: { username, password: `guess ${i}` } });
          expect(r.errors?.[0].message).toBe('Wrong username or password');
        }
        const blocked = await api.gql(login, { input: { username, password: target.password } });
        expect(blocked.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/Too many failed logins/),
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
    });

    it('refuses a deactivated staff member at login', async () => {
      const leaver = await f.staff(setting.municipality, 'CASE_MANAGER' as never);
      await f.staffService.setActive(leaver.staff.id, false);
      await expect(api.login(leaver.username, leaver.password)).rejects.toThrow(/Wrong username or password/);
    });
  });

  describe('patient overview', () => {
    beforeAll(async () => {
      const plans = new SipPlanService(db.dataSource);
      const plan = await plans.create(setting.socialWorker.actor, setting.person.id, {
        overallResponsibilityPrincipal: Principal.MUNICIPALITY,
        personGoals: 'Ha en egen lägenhet',
        interventions: [
          {
            description: 'Boendestöd',
            needId: null,
            responsiblePrincipal: Principal.MUNICIPALITY,
            responsibleOrganisationId: setting.municipality.id,
            responsibleUnitId: null,
            status: 'ONGOING' as never,
          },
        ],
        consentGivenAt: '2026-11-01',
        followUpOn: '2027-02-01',
      });
      await plans.transition(setting.socialWorker.actor, plan.id, plan.version, 'ACTIVE' as never);
      await db.dataSource.query(
        `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, location, summary) VALUES ($1, $2, now(), 'OUTREACH', 'Sergels torg', 'Met at the square')`,
        [setting.person.id, setting.psychiatrist.staff.id],
      );
      await db.dataSource.query(
        `INSERT INTO housing_placement (person_id, kind, address, started_on) VALUES ($1, 'EMERGENCY_SHELTER', 'Härbärget, Stockholm', '2026-10-01')`,
        [setting.person.id],
      );
    });

    it('returns person, plan, roster, timeline and housing in one request', async () => {
      const result = await api.gql<{ patientOverview: Record<string, any> }>(
        OVERVIEW,
        { id: setting.person.id },
        socialWorkerToken,
      );
      expect(result.errors).toBeUndefined();
      const o = result.data!.patientOverview;
      expect(o.person.id).toBe(setting.person.id);
      expect(o.sipPlan).toMatchObject({ status: 'ACTIVE', followUpOn: '2027-02-01' });
      expect(o.sipPlan.interventions[0]).toMatchObject({
        responsiblePrincipal: 'MUNICIPALITY',
        responsibleOrganisation: { name: setting.municipality.name },
      });
      expect(o.roster.map((m: any) => m.staff.profession).sort()).toEqual(['NURSE', 'PSYCHIATRIST', 'SOCIAL_WORKER']);
      expect(o.roster.find((m: any) => m.staff.profession === 'PSYCHIATRIST')).toMatchObject({
        principal: 'REGION',
        votingRepresentative: true,
      });
      expect(o.recentContacts[0]).toMatchObject({
        kind: 'OUTREACH',
        location: 'Sergels torg',
        staff: { profession: 'PSYCHIATRIST' },
      });
      expect(o.currentHousing).toEqual({ kind: 'EMERGENCY_SHELTER', address: 'Härbärget, Stockholm' });
    });

    it('logs the access in the access log', async () => {
      const before = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND action = 'READ_OVERVIEW'`,
        [setting.person.id],
      );
      await api.gql(OVERVIEW, { id: setting.person.id }, socialWorkerToken);
      const after = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND action = 'READ_OVERVIEW'`,
        [setting.person.id],
      );
      expect(after[0].n).toBe(before[0].n + 1);
    });

    it('hides address and whereabouts of a person with a protected identity', async () => {
      const hidden = await f.person(setting.socialWorker, {
        protectedIdentity: ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
      });
      await db.dataSource.query(
        `INSERT INTO housing_placement (person_id, kind, address, started_on) VALUES ($1, 'TRAINING_FLAT', 'Secret street 1', '2026-10-01')`,
        [hidden.id],
      );
      await db.dataSource.query(
        `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, location, summary) VALUES ($1, $2, now(), 'HOME_VISIT', 'Secret street 1', 'Visit')`,
        [hidden.id, setting.socialWorker.staff.id],
      );
      const result = await api.gql<{ patientOverview: Record<string, any> }>(
        OVERVIEW,
        { id: hidden.id },
        socialWorkerToken,
      );
      expect(result.data!.patientOverview.currentHousing).toEqual({ kind: 'TRAINING_FLAT', address: null });
      expect(result.data!.patientOverview.recentContacts[0].location).toBeNull();
      expect(JSON.stringify(result)).not.toContain('Secret street');
    });

    it('refuses a staff member outside the group exactly as for a person that does not exist', async () => {
      const outsiderToken = await api.login(setting.outsider.username, setting.outsider.password);
      const refused = await api.gql(OVERVIEW, { id: setting.person.id }, outsiderToken);
      const missing = await api.gql(OVERVIEW, { id: '00000000-0000-4000-8000-000000000000' }, outsiderToken);
      expect(refused.data).toBeNull();
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0].extensions?.code).toBe('NOT_FOUND');
      expect(refused.errors![0]).toEqual(missing.errors![0]);
      expect(JSON.stringify(refused)).not.toContain(setting.person.givenName);
    });

    it('refuses the outsider on every path to the person (person, plan, timeline write)', async () => {
      const outsiderToken = await api.login(setting.outsider.username, setting.outsider.password);
      const person = await api.gql(
        `query($id: ID!) { person(id: $id) { id } }`,
        { id: setting.person.id },
        outsiderToken,
      );
      expect(person.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const write = await api.gql(
        `mutation($input: RecordContactInput!) { recordContact(input: $input) { id } }`,
        { input: { personId: setting.person.id, occurredAt: new Date().toISOString(), kind: 'PHONE', summary: 'x' } },
        outsiderToken,
      );
      expect(write.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const contacts = await db.dataSource.query(`SELECT count(*)::int AS n FROM contact_entry WHERE staff_id = $1`, [
        setting.outsider.staff.id,
      ]);
      expect(contacts[0].n).toBe(0);
    });
  });

  describe('caseload and pagination', () => {
    it('pages through the caseload with cursors, soonest follow-up first, without repeats', async () => {
      const worker = await f.staff(setting.municipality, 'CASE_MANAGER' as never);
      const token = await api.login(worker.username, worker.password);
      for (let i = 0; i < 7; i++) await f.person(worker);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = await api.gql(
          `query($after: String) { caseload(first: 3, after: $after) { edges { cursor node { personId planStatus reasons person { id } } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          token,
        );
        expect(page.errors).toBeUndefined();
        seen.push(...page.data.caseload.edges.map((e: any) => e.node.person.id));
        after = page.data.caseload.pageInfo.hasNextPage ? page.data.caseload.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
    });

    it('refuses a cursor it did not issue, naming the argument', async () => {
      const result = await api.gql(
        `{ caseload(first: 3, after: "not-a-cursor") { edges { cursor } } }`,
        {},
        socialWorkerToken,
      );
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('refuses a page size above the maximum, naming the argument', async () => {
      const result = await api.gql(`{ caseload(first: 5000) { edges { cursor } } }`, {}, socialWorkerToken);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });

  describe('validation errors', () => {
    const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id identityNumber legalGender birthYear temporaryReference } }`;

    it('registers a person with a valid personnummer and derives gender and birth year', async () => {
      const pnr = syntheticPersonnummer('19750412', 17, 'FEMALE');
      const result = await api.gql<{ registerPerson: Record<string, unknown> }>(
        REGISTER,
        {
          input: {
            identityKind: 'PERSONNUMMER',
            identityNumber: pnr,
            givenName: 'Eva',
            familyName: 'Exempel',
            roleInGroup: 'social worker',
          },
        },
        socialWorkerToken,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerPerson).toMatchObject({
        identityNumber: `${pnr.slice(0, 8)}-${pnr.slice(8)}`,
        legalGender: 'FEMALE',
        birthYear: 1975,
      });
      expect(result.data!.registerPerson.temporaryReference).toMatch(/^TMP-[A-Z2-9]{6}$/);
    });

    it('names the field when the check digit is wrong, and stores nothing', async () => {
      const pnr = syntheticPersonnummer('19750412', 18, 'MALE');
      const wrong = pnr.slice(0, 11) + ((Number(pnr[11]) + 1) % 10);
      const before = await db.dataSource.query(`SELECT count(*)::int AS n FROM person`);
      const result = await api.gql(
        REGISTER,
        {
          input: {
            identityKind: IdentityKind.PERSONNUMMER,
            identityNumber: wrong,
            givenName: 'A',
            familyName: 'B',
            roleInGroup: 'x',
          },
        },
        socialWorkerToken,
      );
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'identityNumber' });
      expect(result.errors?.[0].message).toContain('check digit');
      const after = await db.dataSource.query(`SELECT count(*)::int AS n FROM person`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('names every invalid field of a nested input', async () => {
      const result = await api.gql(
        `mutation($input: CreateSipPlanInput!) { createSipPlan(input: $input) { id } }`,
        {
          input: {
            personId: setting.person.id,
            content: {
              followUpOn: '2027-13-45',
              interventions: [{ description: '', responsiblePrincipal: 'REGION', responsibleOrganisationId: 'nope' }],
            },
          },
        },
        socialWorkerToken,
      );
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const fields = (result.errors?.[0].extensions?.fields ?? []).map((f) => f.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'content.followUpOn',
          'content.interventions.0.description',
          'content.interventions.0.responsibleOrganisationId',
        ]),
      );
    });

    it('identifies a person registered without an ID document later, keeping the temporary reference', async () => {
      const unknown = await f.person(setting.socialWorker);
      const samordning = '19' + '701063239';
      const { luhnCheckDigit } = await import('../../libs/domain/src');
      const number = samordning + luhnCheckDigit(samordning.slice(2));
      const result = await api.gql<any>(
        `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(personId: $id, input: $input) { identityKind identityNumber temporaryReference childrenStatus identityHistory { identityKind identityNumber } } }`,
        {
          id: unknown.id,
          input: {
            identityKind: 'SAMORDNINGSNUMMER',
            identityNumber: `${number.slice(2, 8)}-${number.slice(8)}`,
            childrenStatus: 'NONE',
          },
        },
        socialWorkerToken,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.updatePerson).toEqual({
        identityKind: 'SAMORDNINGSNUMMER',
        identityNumber: `${number.slice(0, 8)}-${number.slice(8)}`,
        temporaryReference: unknown.temporaryReference,
        childrenStatus: 'NONE',
        identityHistory: [{ identityKind: 'UNIDENTIFIED', identityNumber: null }],
      });
      // Later the same person gets a personnummer; the samordningsnummer stays theirs in the history.
      const pnr = syntheticPersonnummer('19700103', 44, 'MALE');
      await api.gql(
        `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(personId: $id, input: $input) { id } }`,
        { id: unknown.id, input: { identityKind: 'PERSONNUMMER', identityNumber: pnr } },
        socialWorkerToken,
      );
      const again = await api.gql(
        `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
        {
          input: {
            identityKind: 'SAMORDNINGSNUMMER',
            identityNumber: number,
            givenName: 'Dup',
            familyName: 'Licate',
            roleInGroup: 'x',
          },
        },
        socialWorkerToken,
      );
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('rejects an unknown enum value before any resolver runs', async () => {
      const result = await api.gql(
        REGISTER,
        { input: { identityKind: 'PASSPORT', givenName: 'A', familyName: 'B', roleInGroup: 'x' } },
        socialWorkerToken,
      );
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toContain('identityKind');
    });

    it('refuses queries nested too deep', async () => {
      const deep = `{ me { organisation { units { organisation { units { organisation { units { organisation { units { organisation { units { id } } } } } } } } } } } }`;
      const result = await api.gql(deep, {}, socialWorkerToken);
      expect(result.errors?.[0].message).toMatch(/nested \d+ levels deep/);
    });
  });
});
