import { addDays, today } from '../../libs/domain/src/time';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Follow-up mode (uppföljning) without revising the plan: each principal moves only its own
 * interventions, a follow-up is recorded as held today (never back-dated) with the next date, the group
 * is told and the access is logged; relatives the person agreed to are invited to SIP meetings.
 */
describe('SIP follow-up and relatives at SIP meetings over GraphQL', () => {
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

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => api.ok(query, variables, token);

  /** A plan in force with one intervention of each principal. */
  async function activePlan() {
    const s = await f.careSetting();
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    const nurse = await api.login(s.nurse.username, s.nurse.password);
    const plan = (
      await ok(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          content: {
            consentGivenAt: today(),
            followUpOn: addDays(today(), 10),
            overallResponsibilityPrincipal: 'MUNICIPALITY',
            overallResponsibilityOrganisationId: s.municipality.id,
            interventions: [
              {
                description: 'Boendestöd',
                responsiblePrincipal: 'MUNICIPALITY',
                responsibleOrganisationId: s.municipality.id,
              },
              {
                description: 'Depotinjektion',
                responsiblePrincipal: 'REGION',
                responsibleOrganisationId: s.psychiatry.id,
              },
            ],
          },
        },
      })
    ).createSipPlan;
    await ok(social, `mutation($i: TransitionSipPlanInput!) { transitionSipPlan(input: $i) { version } }`, {
      i: { planId: plan.id, expectedVersion: 1, status: 'ACTIVE' },
    });
    return { s, social, nurse, planId: plan.id as string };
  }

  const PLAN = `query($id: ID!) { sipPlan(id: $id) { version followUpOn interventions { id description responsiblePrincipal mayUpdateStatus status } followUps { heldOn summary nextFollowUpOn recordedBy } versions { changes } } }`;

  it("lets each principal change only its own interventions' status, and says which they are", async () => {
    const { social, nurse, planId } = await activePlan();
    const asNurse = (await ok(nurse, PLAN, { id: planId })).sipPlan;
    expect(asNurse.interventions.map((i: any) => [i.responsiblePrincipal, i.mayUpdateStatus])).toEqual([
      ['MUNICIPALITY', false],
      ['REGION', true],
    ]);
    const [municipal, regional] = asNurse.interventions;
    const set = (token: string, interventionId: string, version: number) =>
      api.gql<any>(
        `mutation($i: SetInterventionStatusInput!) { setInterventionStatus(input: $i) { version } }`,
        { i: { planId, expectedVersion: version, interventionId, status: 'ONGOING' } },
        token,
      );

    const refused = await set(nurse, municipal.id, asNurse.version);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await set(nurse, regional.id, asNurse.version)).data.setInterventionStatus.version).toBe(
      asNurse.version + 1,
    );
    expect((await set(social, municipal.id, asNurse.version + 1)).data.setInterventionStatus.version).toBe(
      asNurse.version + 2,
    );
    const refusedSocial = await set(social, regional.id, asNurse.version + 2);
    expect(refusedSocial.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const after = (await ok(social, PLAN, { id: planId })).sipPlan;
    expect(after.interventions.map((i: any) => i.status)).toEqual(['ONGOING', 'ONGOING']);
  });

  it('records a follow-up held today with the next date, tells the group and logs the access; never back-dated', async () => {
    const { s, social, nurse, planId } = await activePlan();
    const before = (await ok(nurse, PLAN, { id: planId })).sipPlan;
    const record = (token: string, input: Record<string, unknown>) =>
      api.gql<any>(
        `mutation($i: RecordSipFollowUpInput!) { recordSipFollowUp(input: $i) { version followUpOn followUps { heldOn summary nextFollowUpOn } } }`,
        { i: { planId, expectedVersion: before.version, ...input } },
        token,
      );

    // The next follow-up must come after the one held today.
    const sameDay = await record(social, { summary: 'Boendet fungerar', nextFollowUpOn: today() });
    expect(sameDay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nextFollowUpOn' });
    const empty = await record(social, { summary: '   ', nextFollowUpOn: addDays(today(), 30) });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'summary' });
    // No date of holding is accepted from the client at all.
    const backDated = await record(social, {
      summary: 'x',
      nextFollowUpOn: addDays(today(), 30),
      heldOn: addDays(today(), -30),
    });
    expect(backDated.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const next = addDays(today(), 42);
    const held = await record(social, { summary: 'Boendet fungerar, depotinjektion ges', nextFollowUpOn: next });
    expect(held.errors).toBeUndefined();
    expect(held.data.recordSipFollowUp).toEqual({
      version: before.version + 1,
      followUpOn: next,
      followUps: [{ heldOn: today(), summary: 'Boendet fungerar, depotinjektion ges', nextFollowUpOn: next }],
    });

    const plan = (await ok(nurse, PLAN, { id: planId })).sipPlan;
    expect(plan.versions[0].changes).toEqual([
      `follow-up held on ${today()}`,
      `follow-up date: ${before.followUpOn} → ${next}`,
    ]);
    expect(plan.followUps[0].recordedBy).toBe(s.socialWorker.staff.id);

    const told = await db.dataSource.query(
      `SELECT recipient_staff_id FROM notification WHERE person_id = $1 AND kind = 'SIP_PLAN_FOLLOW_UP_HELD'`,
      [s.person.id],
    );
    expect(told.map((r: any) => r.recipient_staff_id).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
    );
    // Every attempt that got past access control is logged, the two refused as invalid included.
    const logged = await db.dataSource.query(
      `SELECT action, person_id FROM access_log WHERE staff_id = $1 AND entity = 'recordSipFollowUp'`,
      [s.socialWorker.staff.id],
    );
    expect(logged).toEqual(Array(3).fill({ action: 'WRITE', person_id: s.person.id }));

    // The database refuses a back-dated or changed follow-up even from the application's own role.
    await expect(
      db.dataSource.query(
        `INSERT INTO sip_plan_follow_up (plan_id, person_id, held_on, recorded_by, summary, next_follow_up_on) VALUES ($1, $2, $3, $4, 'x', $5)`,
        [planId, s.person.id, addDays(today(), -3), s.socialWorker.staff.id, next],
      ),
    ).rejects.toThrow();
    await expect(
      db.dataSource.query(`UPDATE sip_plan_follow_up SET summary = 'ändrad' WHERE plan_id = $1`, [planId]),
    ).rejects.toThrow(/never changed/);

    // A stale version is refused rather than recorded twice.
    const stale = await record(social, { summary: 'igen', nextFollowUpOn: next });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses a follow-up of a draft plan and of an outsider', async () => {
    const s = await f.careSetting();
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    const outsider = await api.login(s.outsider.username, s.outsider.password);
    const plan = (
      await ok(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
        i: { personId: s.person.id },
      })
    ).createSipPlan;
    const input = { planId: plan.id, expectedVersion: 1, summary: 'Utkast', nextFollowUpOn: addDays(today(), 30) };
    const draft = await api.gql<any>(
      `mutation($i: RecordSipFollowUpInput!) { recordSipFollowUp(input: $i) { id } }`,
      { i: input },
      social,
    );
    expect(draft.errors?.[0].extensions?.code).toBe('INVALID_STATE');
    const stranger = await api.gql<any>(
      `mutation($i: RecordSipFollowUpInput!) { recordSipFollowUp(input: $i) { id } }`,
      { i: input },
      outsider,
    );
    expect(stranger.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await db.dataSource.query(`SELECT 1 FROM sip_plan_follow_up WHERE plan_id = $1`, [plan.id])).toEqual([]);
  });

  it('invites only relatives the person agreed may take part in SIP meetings', async () => {
    const s = await f.careSetting();
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    const relative = async (name: string, mayParticipate: boolean) =>
      (
        await ok(social, `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`, {
          p: s.person.id,
          i: { name, relation: 'syster', mayParticipate },
        })
      ).addRelative.id as string;
    const agreed = await relative('Syster Samtycke', true);
    const notAgreed = await relative('Bror Nej', false);
    const other = await f.careSetting();
    const otherSocial = await api.login(other.socialWorker.username, other.socialWorker.password);
    const strangerRelative = (
      await ok(
        otherSocial,
        `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`,
        { p: other.person.id, i: { name: 'Annans', relation: 'mor', mayParticipate: true } },
      )
    ).addRelative.id;

    const plan = (participantRelativeIds: string[]) =>
      api.gql<any>(
        `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id relatives { relativeId attended } } }`,
        {
          i: {
            personId: s.person.id,
            startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
            location: 'Farsta',
            participantStaffIds: [s.socialWorker.staff.id],
            participantRelativeIds,
            invitePerson: true,
          },
        },
        social,
      );
    expect((await plan([notAgreed])).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'participantRelativeIds',
    });
    expect((await plan([strangerRelative])).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'participantRelativeIds',
    });
    // A relative who is no longer involved (ended) is not invited either.
    const ended = await relative('Kusin Avslutad', true);
    await ok(social, `mutation($r: ID!) { endRelative(relativeId: $r) { id } }`, { r: ended });
    expect((await plan([ended])).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'participantRelativeIds',
    });
    const meeting = (await plan([agreed])).data.planSipMeeting;
    expect(meeting.relatives).toEqual([{ relativeId: agreed, attended: null }]);

    const moved = await api.gql<any>(
      `mutation($id: ID!, $i: RescheduleSipMeetingInput!) { rescheduleSipMeeting(id: $id, input: $i) { relatives { relativeId } } }`,
      { id: meeting.id, i: { participantRelativeIds: [notAgreed] } },
      social,
    );
    expect(moved.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'participantRelativeIds' });
    const held = await ok(
      social,
      `mutation($id: ID!, $i: RecordSipMeetingHeldInput!) { recordSipMeetingHeld(id: $id, input: $i) { relatives { relativeId attended } } }`,
      {
        id: meeting.id,
        i: {
          minutes: 'Systern deltog',
          attendedStaffIds: [s.socialWorker.staff.id],
          attendedRelativeIds: [agreed],
          personAttended: true,
        },
      },
    );
    expect(held.recordSipMeetingHeld.relatives).toEqual([{ relativeId: agreed, attended: true }]);
  });
});
