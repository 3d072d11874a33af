import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const QUERY = `query($from: DateTime!, $to: DateTime!) { actTeams { name onCallShifts(from: $from, to: $to) { startsAt endsAt staff { givenName } } } }`;

describe('ACT team on-call shifts over a period', () => {
  let db: TestDatabase;
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db);
    token = await api.login('nurse', 'samverka-demo');
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('lists the shifts that overlap the period, earliest first', async () => {
    const from = new Date(Date.now() - 3 * 86_400_000);
    const to = new Date(Date.now() + 4 * 86_400_000);
    const result = await api.gql<{ actTeams: Array<{ onCallShifts: Array<{ startsAt: string; endsAt: string }> }> }>(
      QUERY,
      { from: from.toISOString(), to: to.toISOString() },
      token,
    );
    expect(result.errors).toBeUndefined();
    const shifts = result.data!.actTeams.flatMap((t) => t.onCallShifts);
    expect(shifts.length).toBeGreaterThan(0);
    for (const s of shifts) {
      expect(new Date(s.startsAt) < to && new Date(s.endsAt) > from).toBe(true);
    }
    for (const team of result.data!.actTeams) {
      const starts = team.onCallShifts.map((s) => s.startsAt);
      expect(starts).toEqual([...starts].sort());
    }
  });

  it('refuses a period that ends before it starts or spans more than 31 days, naming the field', async () => {
    const now = Date.now();
    for (const [from, to] of [
      [now, now - 1000],
      [now, now + 32 * 86_400_000],
    ]) {
      const result = await api.gql(
        QUERY,
        { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        token,
      );
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    }
  });
});
