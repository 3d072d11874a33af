import { TEST_REDIS_URL } from '../support/env';
import { spawnService, ServiceProcess } from '../support/api-process';
import { dropQueueKeys } from '../support/reminder-load';
import { eventually } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface LogLine {
  level: string;
  msg?: string;
  service?: string;
  requestId?: string;
  event?: string;
  [key: string]: unknown;
}

/** Every line a process printed, parsed; a line that is not JSON fails the test (the log must be machine-readable). */
function lines(process: ServiceProcess): LogLine[] {
  return process
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/**
 * The API and the worker as real processes on the demo data set, logging at debug level in JSON: every
 * line is structured, a request's id reaches the job it enqueued and the worker's lines for it, lockouts
 * and rate-limit refusals are events, and nothing any process writes names a demo person or their
 * identity number, whatever the requests carried (variables, query strings, headers).
 */
describe('structured logs without personal data (API and worker processes, demo data, real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      DATABASE_OWNER_URL: db.ownerUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: db.config.QUEUE_PREFIX,
      ACCESS_LOG_CHECKPOINT_FILE: db.config.ACCESS_LOG_CHECKPOINT_FILE!,
      TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
      LOG_LEVEL: 'debug',
      // Low enough to be crossed by the test, per client address.
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '40',
    };
    api = await spawnService('api', { ...env, SEED_DEMO_DATA: 'true' });
    worker = await spawnService('worker', env);
    base = `http://127.0.0.1:${api.port}`;
  }, 180_000);

  afterAll(async () => {
    await api?.kill();
    await worker?.kill();
    if (db) await dropQueueKeys(TEST_REDIS_URL, db.config.QUEUE_PREFIX);
    await db?.drop();
  });

  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('logs JSON with request ids, carries a request id into its job, logs lockouts and refusals as events, and never a person', async () => {
    const persons: Array<{ given_name: string; family_name: string; identity_number: string | null }> =
      await db.dataSource.query(`SELECT given_name, family_name, identity_number FROM person`);
    expect(persons.length).toBeGreaterThan(5);

    // A sane incoming request id is kept and returned; an unsafe one is replaced by a fresh one.
    const login = await post(
      {
        query: `mutation($i: LoginInput!) { login(input: $i) { token } }`,
        variables: { i: { username: 'psychiatrist', password: 'samverka-demo' } },
      },
      { 'x-request-id': 'lb-7f3a.login:1' },
    );
    expect(login.headers.get('x-request-id')).toBe('lb-7f3a.login:1');
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    const unsafe = await fetch(`${base}/health`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const auth = { authorization: `Bearer ${token}` };

    // Personal data in variables, in a query string and in a header: none of it may reach a log line.
    for (const p of persons.filter((x) => x.identity_number).slice(0, 3)) {
      await post(
        {
          query: `query($i: FindPersonInput!) { findPersons(input: $i) { persons { id givenName familyName } } }`,
          variables: { i: { identityNumber: p.identity_number } },
        },
        auth,
      );
      await fetch(
        `${base}/graphql?query=${encodeURIComponent(`{ findPersons(input: { identityNumber: "${p.identity_number}" }) { persons { id } } }`)}`,
        {
          headers: {
            ...auth,
            'apollo-require-preflight': 'true',
            'x-person': encodeURIComponent(`${p.given_name} ${p.family_name}`),
          },
        },
      );
      await post(
        {
          query: `query($i: FindPersonInput!) { findPersons(input: $i) { persons { id } } }`,
          variables: { i: { givenName: p.given_name, familyName: p.family_name, birthYear: 1970 } },
        },
        auth,
      );
    }
    // An invalid identity number: a validation error, which quotes nothing of it in the log either.
    await post(
      {
        query: `mutation { createPerson(input: { givenName: "${persons[0].given_name}", familyName: "${persons[0].family_name}", identityNumber: "${persons[0].identity_number ?? '19121212-1213'}9" }) { id } }`,
      },
      auth,
    );

    // A request that enqueues a job: its id goes with the job, and the worker logs it when it runs it.
    // An active episode of the psychiatrist's clinic for a person in whose group the psychiatrist is (the clinic also
    // has episodes of persons outside the psychiatrist's groups, which the request could not see).
    const [episode] = await db.dataSource.query(
      `SELECT e.id FROM care_episode e JOIN staff_member s ON s.organisation_id = e.organisation_id
         JOIN collaboration_group g ON g.person_id = e.person_id
         JOIN group_member m ON m.group_id = g.id AND m.staff_id = s.id AND m.valid_to IS NULL
        WHERE e.status = 'ACTIVE' AND s.username = 'psychiatrist' ORDER BY e.id LIMIT 1`,
    );
    const discharge = await post(
      { query: `mutation($id: ID!) { requestDischarge(episodeId: $id) { id status } }`, variables: { id: episode.id } },
      { ...auth, 'x-request-id': 'discharge-req-0001' },
    );
    const dischargeBody = (await discharge.json()) as { data?: { requestDischarge: { id: string } }; errors?: unknown };
    expect(dischargeBody.errors).toBeUndefined();
    await eventually(
      async () => lines(worker).some((l) => l.event === 'job.completed' && l.requestId === 'discharge-req-0001'),
      30_000,
      100,
    );
    const jobLine = lines(worker).find((l) => l.event === 'job.completed' && l.requestId === 'discharge-req-0001')!;
    expect(jobLine).toMatchObject({
      service: 'worker',
      queue: 'discharge',
      job: 'discharge-execute',
      jobId: `discharge-${dischargeBody.data!.requestDischarge.id}`,
    });
    expect(
      lines(api).some((l) => l.requestId === 'discharge-req-0001' && (l.req as { path?: string })?.path === '/graphql'),
    ).toBe(true);

    // Lockout after repeated failures (a username nobody else in this test uses), as a structured event.
    for (let i = 0; i < 6; i++)
      await post({
        query: `mutation($i: LoginInput!) { login(input: $i) { token } }`,
        variables: { i: { username: 'outreach', password: `wrong-${i}` } },
      });
    // Past the per-client rate: refused, as a structured event.
    let refused = 0;
    for (let i = 0; i < 45 && refused === 0; i++)
      if ((await post({ query: `{ __typename }` }, auth)).status === 429) refused++;
    expect(refused).toBe(1);

    await eventually(async () => lines(api).some((l) => l.event === 'rate_limit.refused'), 10_000, 50);
    const apiLines = lines(api);
    expect(apiLines.find((l) => l.event === 'login.locked')).toMatchObject({ level: 'warn', scope: 'username' });
    expect(apiLines.find((l) => l.event === 'rate_limit.refused')).toMatchObject({
      level: 'warn',
      scope: 'client',
      limit: 40,
    });
    // Every request line is structured: method, path without query string, status, duration, request id.
    const requestLines = apiLines.filter((l) => l.req && l.res);
    expect(requestLines.length).toBeGreaterThan(10);
    expect(requestLines.filter((l) => l.msg === 'POST /graphql 200').length).toBeGreaterThan(5);
    // Probes are not logged (one every few seconds would drown the rest).
    expect(requestLines.filter((l) => (l.req as { path: string }).path === '/health')).toEqual([]);
    for (const l of requestLines) {
      expect(l).toMatchObject({ service: 'api', requestId: expect.any(String), responseTime: expect.any(Number) });
      expect((l.req as { path: string }).path).not.toContain('?');
      expect(Object.keys(l.req as object).sort()).toEqual(['method', 'path']);
    }

    // Nothing printed by either process (JSON or not) names a demo person or their number, nor carries the token.
    const everything = api.output() + worker.output();
    const leaks: string[] = [];
    for (const p of persons) {
      for (const value of [p.given_name, p.family_name, p.identity_number, p.identity_number?.replace('-', '')]) {
        if (value && value.length >= 3 && everything.includes(value)) leaks.push(value);
      }
    }
    expect(leaks).toEqual([]);
    expect(everything).not.toContain(token);
    expect(everything.toLowerCase()).not.toContain('bearer ');
    // Outside the few plain lines printed before the logger exists (the demo logins), every line is JSON.
    const unparsed = everything.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
    expect(unparsed.every((l) => /demo|^\s+\S+\s+\S/.test(l))).toBe(true);
  }, 180_000);
});
