import { randomBytes } from 'node:crypto';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

jest.setTimeout(120_000);

/** Issue 12 §1 through the API: an integration client's key rotated, and a failed delivery sent again. */
describe('administration: rotating an integration key, retrying a failed delivery', () => {
  const t = useApiTest();
  let admin: string;
  let setting: Awaited<ReturnType<Fixtures['careSetting']>>;

  beforeAll(async () => {
    setting = await t.f.careSetting();
    const administrator = await t.f.staff(setting.municipality, 'OTHER' as never, { administrator: true });
    admin = await t.api.login(administrator.username, administrator.password);
  });

  const directory = (key: string) =>
    t.api.gql<{ organisations: { edges: unknown[] } }>(
      `{ organisations(first: 1) { edges { node { id } } } }`,
      {},
      key,
    );
  const rotate = (staffId: string, token = admin) =>
    t.api.gql<{ rotateIntegrationClientKey: { apiKey: string; staff: { id: string } } }>(
      `mutation($id: ID!) { rotateIntegrationClientKey(staffId: $id) { apiKey staff { id } } }`,
      { id: staffId },
      token,
    );

  it('gives a client a new key with the same scopes: the old key is refused from the next request on; a revoked client gets none', async () => {
    const created = await t.api.gql<{ createIntegrationClient: { apiKey: string; staff: { id: string } } }>(
      `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { apiKey staff { id } } }`,
      { i: { organisationId: setting.municipality.id, name: 'HR', scopes: ['DIRECTORY_READ'] } },
      admin,
    );
    const { apiKey: oldKey, staff } = created.data!.createIntegrationClient;
    expect((await directory(oldKey)).data?.organisations.edges).toHaveLength(1);

    const rotated = await rotate(staff.id);
    const newKey = rotated.data!.rotateIntegrationClientKey.apiKey;
    expect(newKey).toMatch(/^svk_/);
    expect(newKey).not.toBe(oldKey);
    expect((await directory(oldKey)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await directory(newKey)).data?.organisations.edges).toHaveLength(1);
    // The same scopes: reading, not writing.
    const write = await t.api.gql(
      `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`,
      { i: { organisationId: setting.municipality.id, name: 'Nej' } },
      newKey,
    );
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Only the hash of the new key is kept.
    const [row] = await t.db.dataSource.query(
      `SELECT prefix, encode(key_hash, 'hex') AS hash FROM api_key WHERE staff_id = $1`,
      [staff.id],
    );
    expect(newKey).toContain(`svk_${row.prefix}_`);
    expect(JSON.stringify(row)).not.toContain(newKey.slice(`svk_${row.prefix}_`.length));

    // Revoked: the key is refused, and no new one is given.
    await t.api.gql(
      `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { id } }`,
      { i: { staffId: staff.id, active: false } },
      admin,
    );
    expect((await directory(newKey)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const refused = await rotate(staff.id);
    expect([refused.data, refused.errors?.[0].extensions?.code, refused.errors?.[0].extensions?.reason]).toEqual([
      null,
      'INVALID_STATE',
      'INTEGRATION_CLIENT_REVOKED',
    ]);

    // A staff member is not an integration client.
    expect((await rotate(setting.socialWorker.staff.id)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Nobody but the administrator rotates a key.
    const socialWorker = await t.api.login(setting.socialWorker.username, setting.socialWorker.password);
    expect((await rotate(staff.id, socialWorker)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("takes a role change and a deactivation into account on the person's next request, with the same session", async () => {
    const member = await t.f.staff(setting.municipality, 'NURSE' as never);
    const token = await t.api.login(member.username, member.password);
    const createUnit = () =>
      t.api.gql(
        `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`,
        { i: { organisationId: setting.municipality.id, name: `Enhet ${randomBytes(2).toString('hex')}` } },
        token,
      );
    const setRoles = (organisationAdministrator: boolean) =>
      t.api.gql(
        `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id } }`,
        { i: { staffId: member.staff.id, organisationAdministrator } },
        admin,
      );
    expect((await createUnit()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await setRoles(true)).errors).toBeUndefined();
    expect((await createUnit()).errors).toBeUndefined();
    expect((await setRoles(false)).errors).toBeUndefined();
    expect((await createUnit()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await t.api.gql(
      `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { id } }`,
      { i: { staffId: member.staff.id, active: false } },
      admin,
    );
    expect((await t.api.gql(`{ me { id } }`, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('sends a failed delivery again as a new delivery with a job queued, once; the failed one stays as it was', async () => {
    const meeting = randomBytes(4).toString('hex');
    const key = `retry-${meeting}`;
    await t.db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at, status, fired_at) VALUES ($1, 'MEETING_TOMORROW', $2, gen_random_uuid(), now(), 'FIRED', now())`,
      [key, setting.person.id],
    );
    const [delivery] = await t.db.dataSource.query(
      `INSERT INTO delivery (reminder_key, recipient_staff_id, channel, idempotency_key, status, attempts, last_error, failed_at) VALUES ($1, $2, 'EMAIL', $1, 'FAILED', 5, 'Error550', now()) RETURNING id`,
      [key, setting.socialWorker.staff.id],
    );
    const listed = await t.api.gql<{ failedDeliveries: Array<{ id: string }> }>(
      `{ failedDeliveries { id } }`,
      {},
      admin,
    );
    expect(listed.data?.failedDeliveries.map((d) => d.id)).toContain(delivery.id);

    const retry = (token = admin) =>
      t.api.gql<{ retryFailedDelivery: boolean }>(
        `mutation($id: ID!) { retryFailedDelivery(id: $id) }`,
        { id: delivery.id },
        token,
      );
    const socialWorker = await t.api.login(setting.socialWorker.username, setting.socialWorker.password);
    expect((await retry(socialWorker)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await retry()).data?.retryFailedDelivery).toBe(true);
    // The failed delivery stays as it was (a record); a new one of the same reminder to the same recipient names it.
    const rows = await t.db.dataSource.query(
      `SELECT id, status, reminder_key, recipient_staff_id, channel, idempotency_key, retry_of FROM delivery WHERE reminder_key = $1 ORDER BY created_at, retry_of NULLS FIRST`,
      [key],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: delivery.id, status: 'FAILED', retry_of: null });
    expect(rows[1]).toMatchObject({
      status: 'PENDING',
      recipient_staff_id: setting.socialWorker.staff.id,
      channel: 'EMAIL',
      retry_of: delivery.id,
    });
    expect(rows[1].idempotency_key).not.toBe(rows[0].idempotency_key);
    const jobs = await t.api.app.get(JobQueue).queue(QueueName.EMAIL).getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data.deliveryId)).toContain(rows[1].id);
    expect(
      (
        await t.api.gql<{ failedDeliveries: Array<{ id: string }> }>(`{ failedDeliveries { id } }`, {}, admin)
      ).data?.failedDeliveries.map((d) => d.id),
    ).not.toContain(delivery.id);

    const again = await retry();
    expect([again.data, again.errors?.[0].extensions?.code, again.errors?.[0].extensions?.reason]).toEqual([
      null,
      'INVALID_STATE',
      'DELIVERY_NOT_FAILED',
    ]);
    const unknown = await t.api.gql(
      `mutation($id: ID!) { retryFailedDelivery(id: $id) }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      admin,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
