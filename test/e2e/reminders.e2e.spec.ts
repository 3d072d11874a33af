import { INestApplicationContext } from '@nestjs/common';
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { HealthServer } from '../../apps/worker/src/runtime/health.server';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { startSmtpSink } from '../support/message-sinks';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Collects the notifications one staff member receives over a graphql-ws subscription. */
function subscribeToInbox(api: TestApi, token: string) {
  const received: Array<{ kind: string; params: { startsAt: string | null } | null }> = [];
  const client: Client = createClient({
    url: api.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  client.on('connected', () => setTimeout(ready, 200));
  client.subscribe<{ notificationReceived: { kind: string; params: { startsAt: string | null } | null } }>(
    { query: `subscription { notificationReceived { kind params { startsAt } } }` },
    {
      next: (m) => m.data && received.push(m.data.notificationReceived),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { received, started, close: () => client.dispose() };
}

describe('reminders and notifications over the API (GraphQL, subscription, queue dashboard, worker health)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: INestApplicationContext;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let f: Fixtures;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    db = await createTestDatabase({ SMTP_URL: smtp.url });
    api = await startTestApi(db);
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    for (const q of [QueueName.REMINDERS, QueueName.EMAIL])
      await worker.get(JobQueue).queue(q).obliterate({ force: true });
    await worker?.close();
    await api?.close();
    await db?.drop();
    await smtp?.close();
  });

  const call = async <T = any>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await api.gql<T>(query, variables, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  };

  it('a planned meeting arrives live in the inbox; unread count, mark all read; the person shows meeting and coming reminders', async () => {
    const s = await f.careSetting();
    const [social, nurse] = await Promise.all([
      api.login(s.socialWorker.username, s.socialWorker.password),
      api.login(s.nurse.username, s.nurse.password),
    ]);
    // The group was told when she joined it (every membership change is); read, so that what follows counts the summons alone.
    expect(
      (await call(nurse, `mutation { markAllNotificationsRead }`)).markAllNotificationsRead,
    ).toBeGreaterThanOrEqual(1);
    const stream = subscribeToInbox(api, nurse);
    await stream.started;

    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const planned = await call(
      social,
      `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id status location participants { staffId } } }`,
      {
        i: {
          personId: s.person.id,
          startsAt,
          location: 'Farsta, rum 2',
          participantStaffIds: [s.nurse.staff.id, s.socialWorker.staff.id],
          invitePerson: false,
        },
      },
    );
    expect(planned.planSipMeeting).toMatchObject({ status: 'PLANNED', location: 'Farsta, rum 2' });

    await eventually(async () => stream.received.some((n) => n.kind === 'MEETING_SUMMONS'));
    expect(stream.received.find((n) => n.kind === 'MEETING_SUMMONS')!.params).toEqual({
      startsAt: new Date(startsAt).toISOString(),
    });
    expect((await call(nurse, `{ unreadNotificationCount }`)).unreadNotificationCount).toBe(1);
    expect((await call(nurse, `mutation { markAllNotificationsRead }`)).markAllNotificationsRead).toBe(1);
    expect((await call(nurse, `{ unreadNotificationCount }`)).unreadNotificationCount).toBe(0);

    const person = await call(
      social,
      `query($id: ID!) { person(id: $id) { sipMeetings { id status } upcomingReminders { rule dueAt } } }`,
      { id: s.person.id },
    );
    expect(person.person.sipMeetings).toEqual([{ id: planned.planSipMeeting.id, status: 'PLANNED' }]);
    const rules = person.person.upcomingReminders.map((r: any) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(['MEETING_TOMORROW', 'MEETING_IN_2_HOURS']));

    // An outsider can neither change the meeting nor tell it exists.
    const outsider = await api.login(s.outsider.username, s.outsider.password);
    const refused = await api.gql(
      `mutation($id: ID!) { cancelSipMeeting(id: $id) { id } }`,
      { id: planned.planSipMeeting.id },
      outsider,
    );
    const unknown = await api.gql(
      `mutation($id: ID!) { cancelSipMeeting(id: $id) { id } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      outsider,
    );
    expect(refused.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    stream.close();
  });

  it('preferences: validation names the field; quiet hours need both ends', async () => {
    const s = await f.careSetting();
    const token = await api.login(s.nurse.username, s.nurse.password);
    const set = (input: Record<string, unknown>) =>
      api.gql(
        `mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { email sms locale quietFrom quietTo } }`,
        { i: input },
        token,
      );
    const bad = await set({ email: true, sms: false, locale: 'sv', quietFrom: '25:00', quietTo: '07:00' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quietFrom' });
    const half = await set({ email: true, sms: false, locale: 'sv', quietFrom: '22:00' });
    expect(half.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quietTo' });
    const ok = await set({ email: false, sms: true, locale: 'en', quietFrom: '22:00', quietTo: '07:00' });
    expect(ok.data).toEqual({
      setNotificationPreferences: { email: false, sms: true, locale: 'en', quietFrom: '22:00', quietTo: '07:00' },
    });
    expect((await call(token, `{ myNotificationPreferences { quietTo } }`)).myNotificationPreferences.quietTo).toBe(
      '07:00',
    );
  });

  it('failed deliveries and the queue dashboard are for administrators only', async () => {
    const s = await f.careSetting();
    const admin = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const [adminToken, staffToken] = await Promise.all([
      api.login(admin.username, admin.password),
      api.login(s.nurse.username, s.nurse.password),
    ]);
    expect((await api.gql(`{ failedDeliveries { id } }`, {}, staffToken)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await call(adminToken, `{ failedDeliveries { id channel lastError } }`)).failedDeliveries).toEqual([]);

    const dashboard = api.url.replace('/graphql', '/admin/queues');
    expect((await fetch(dashboard)).status).toBe(401);
    expect((await fetch(dashboard, { headers: { authorization: `Bearer ${staffToken}` } })).status).toBe(403);
    const asAdmin = await fetch(dashboard, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.text()).toContain('<title>');
    const basic = Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
    const queues = await fetch(`${dashboard}/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(queues.status).toBe(200);
    const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QueueName).sort());
  });

  it('the worker answers health and readiness', async () => {
    const port = worker.get(HealthServer).port;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: true, redis: true, consumers: true } });
  });
});
