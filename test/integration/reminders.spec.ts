import { INestApplicationContext } from '@nestjs/common';
import {
  ActTeamService,
  addDays,
  CaseCheckKind,
  CaseCheckService,
  CareEpisodeService,
  ChildrenStatus,
  ConsentGivenHow,
  ConsentPurpose,
  ConsentScope,
  ContactChannel,
  ContactKind,
  EpisodeKind,
  NotificationService,
  PersonLanguage,
  PersonService,
  RelativeService,
  Principal,
  ProposalService,
  ProposalType,
  ReminderDispatcher,
  reminderJobId,
  remindersDueJobId,
  ReminderRule,
  SipMeetingService,
  SipPlanService,
  stockholmInstant,
  TimelineService,
  today,
  VoteChoice,
} from '../../libs/domain/src';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { startSmsSink, startSmtpSink } from '../support/message-sinks';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Each reminder rule against the real PostgreSQL, Redis and worker: the occurrence is due at the right
 * moment (and its BullMQ job with it), moves when the date moves, disappears when the thing is done,
 * and what falls due reaches in-app, SMTP and the SMS gateway.
 */
describe('reminders (real PostgreSQL, Redis, worker, SMTP and SMS servers)', () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startSmsSink>>;
  let f: Fixtures;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    db = await createTestDatabase({
      SMTP_URL: smtp.url,
      SMS_GATEWAY_URL: sms.url,
      NOTIFY_ATTEMPTS: '3',
      NOTIFY_BACKOFF_MS: '50',
    });
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    for (const q of [QueueName.REMINDERS, QueueName.EMAIL, QueueName.SMS])
      await worker.get(JobQueue).queue(q).obliterate({ force: true });
    await worker?.close();
    await db?.drop();
    await smtp?.close();
    await sms?.close();
  });

  const svc = <T>(type: new (...args: never[]) => T) => worker.get(type as never) as T;

  /** The person's occurrences once the relay has derived them (no outbox rows left for the person). */
  async function occurrences(personId: string) {
    await eventually(async () => {
      const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE ref = $1`, [personId]);
      return row.n === 0;
    });
    const rows: Array<{
      key: string;
      ref: string;
      rule: ReminderRule;
      due_at: Date;
      status: string;
      generation: number;
    }> = await db.dataSource.query(
      `SELECT key, job_ref AS ref, rule, due_at, status, generation FROM reminder WHERE person_id = $1 ORDER BY due_at, key`,
      [personId],
    );
    return rows;
  }
  const scheduled = async (personId: string, rule: ReminderRule) =>
    (await occurrences(personId)).filter((o) => o.rule === rule && o.status === 'SCHEDULED');
  const at8 = (date: string) => stockholmInstant(date, '08:00');
  /** The inbox's reminders (a group's members are also told of changes to the group, e.g. by the fixtures). */
  const isReminder = (n: { kind: string }) => (Object.values(ReminderRule) as string[]).includes(n.kind);
  /** An occurrence due later waits in the one job of its due moment (shared with any other due then). */
  const jobOf = (o: { due_at: Date }) => remindersDueJobId(o.due_at);
  const jobState = (o: { due_at: Date }) => worker.get(JobQueue).queue(QueueName.REMINDERS).getJobState(jobOf(o));

  it('SIP follow-up: 7 days and 1 day before and overdue, at 08:00 Swedish time; moved with the date; gone when the plan closes', async () => {
    const s = await f.careSetting();
    const plans = svc(SipPlanService);
    const followUp = addDays(today(), 20);
    const plan = await plans.create(s.socialWorker.actor, s.person.id, { followUpOn: followUp });

    let due = await occurrences(s.person.id);
    const byRule = (rule: ReminderRule) => due.filter((o) => o.rule === rule && o.status === 'SCHEDULED');
    expect(byRule(ReminderRule.FOLLOW_UP_IN_7_DAYS).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(followUp, -7)).toISOString(),
    ]);
    expect(byRule(ReminderRule.FOLLOW_UP_TOMORROW).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(followUp, -1)).toISOString(),
    ]);
    expect(byRule(ReminderRule.FOLLOW_UP_OVERDUE).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(followUp, 1)).toISOString(),
    ]);
    const first = byRule(ReminderRule.FOLLOW_UP_IN_7_DAYS)[0];
    expect(await jobState(first)).toBe('delayed');
    const job = await worker.get(JobQueue).queue(QueueName.REMINDERS).getJob(jobOf(first));
    expect(Math.abs(job!.timestamp + job!.delay - first.due_at.getTime())).toBeLessThan(5_000);
    expect(job!.data).toEqual({ dueAt: first.due_at.getTime() });

    const moved = addDays(today(), 30);
    await plans.edit(s.socialWorker.actor, plan.id, plan.version, { followUpOn: moved });
    due = await occurrences(s.person.id);
    expect(byRule(ReminderRule.FOLLOW_UP_IN_7_DAYS).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(moved, -7)).toISOString(),
    ]);
    const old = due.find((o) => o.key === first.key)!;
    expect(old.status).toBe('CANCELLED');
    // The moved occurrence waits in its new moment's job; the old moment's job, if it stays, fires only what is
    // still scheduled when it runs (the old occurrence is not).
    expect(await jobState(byRule(ReminderRule.FOLLOW_UP_IN_7_DAYS)[0])).toBe('delayed');

    await db.dataSource.query(`UPDATE sip_plan SET status = 'CLOSED' WHERE id = $1`, [plan.id]);
    expect(await scheduled(s.person.id, ReminderRule.FOLLOW_UP_OVERDUE)).toEqual([]);
    expect(await scheduled(s.person.id, ReminderRule.FOLLOW_UP_IN_7_DAYS)).toEqual([]);
  });

  it('occurrences of several persons and rules fired in one batch: each once, to its own recipients; a stale generation is left alone', async () => {
    const [a, b] = [await f.careSetting(), await f.careSetting()];
    await svc(SipPlanService).create(a.socialWorker.actor, a.person.id, {
      followUpOn: addDays(today(), 20),
      overallResponsibilityPrincipal: Principal.MUNICIPALITY,
    });
    await svc(SipPlanService).create(b.socialWorker.actor, b.person.id, { consentValidUntil: addDays(today(), 45) });
    const [followUp] = await scheduled(a.person.id, ReminderRule.FOLLOW_UP_IN_7_DAYS);
    const [consent] = await scheduled(b.person.id, ReminderRule.CONSENT_EXPIRES_IN_30_DAYS);

    const made = await svc(ReminderDispatcher).fireMany([
      { ref: followUp.ref, generation: followUp.generation },
      { ref: consent.ref, generation: consent.generation },
      { ref: followUp.ref, generation: followUp.generation + 1 },
    ]);
    const recipients = async (key: string) =>
      (
        await db.dataSource.query(
          `SELECT recipient_staff_id FROM delivery WHERE reminder_key = $1 AND channel = 'IN_APP' ORDER BY 1`,
          [key],
        )
      ).map((r: { recipient_staff_id: string }) => r.recipient_staff_id);
    // Follow-up: the coordinator (the social worker who registered the person) and the members of the
    // principal with overall responsibility (the municipality: the social worker again, not the region's
    // psychiatrist and nurse); consent: the coordinator.
    const coordinatorOf = async (personId: string) =>
      (
        await db.dataSource.query(`SELECT coordinator_staff_id AS id FROM collaboration_group WHERE person_id = $1`, [
          personId,
        ])
      )[0].id;
    expect(await coordinatorOf(a.person.id)).toBe(a.socialWorker.staff.id);
    expect(await recipients(followUp.key)).toEqual([a.socialWorker.staff.id]);
    expect(await recipients(consent.key)).toEqual([await coordinatorOf(b.person.id)]);
    expect(made.get(reminderJobId(followUp.ref, followUp.generation))).toBe((await recipients(followUp.key)).length);
    expect(made.get(reminderJobId(consent.ref, consent.generation))).toBe(1);
    expect(made.get(reminderJobId(followUp.ref, followUp.generation + 1))).toBeNull();
    const statuses = await db.dataSource.query(`SELECT key, status FROM reminder WHERE key = ANY($1) ORDER BY key`, [
      [followUp.key, consent.key],
    ]);
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(['FIRED', 'FIRED']);

    // Firing again (a job run twice) makes nothing more.
    const again = await svc(ReminderDispatcher).fireMany([{ ref: followUp.ref, generation: followUp.generation }]);
    expect(again.get(reminderJobId(followUp.ref, followUp.generation))).toBeNull();
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE delivery_id IN (SELECT id FROM delivery WHERE reminder_key = $1)`,
      [followUp.key],
    );
    expect(n).toBe((await recipients(followUp.key)).length);
  });

  it('consent: 30 days before it ends and the day after, to the coordinator', async () => {
    const s = await f.careSetting();
    const until = addDays(today(), 45);
    await svc(SipPlanService).create(s.socialWorker.actor, s.person.id, { consentValidUntil: until });
    expect(
      (await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRES_IN_30_DAYS)).map((o) => o.due_at.toISOString()),
    ).toEqual([at8(addDays(until, -30)).toISOString()]);
    expect((await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRED)).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(until, 1)).toISOString(),
    ]);
  });

  it('recorded consent: 30 days before it ends and the day after; withdrawing it cancels both', async () => {
    const s = await f.careSetting({ consent: false });
    const validTo = addDays(today(), 60);
    const consent = await f.consents.record(s.socialWorker.actor, {
      personId: s.person.id,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.WHOLE_GROUP,
      givenHow: ConsentGivenHow.WRITTEN,
      validTo,
    });
    expect(
      (await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRES_IN_30_DAYS)).map((o) => o.due_at.toISOString()),
    ).toEqual([at8(addDays(validTo, -30)).toISOString()]);
    expect((await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRED)).map((o) => o.due_at.toISOString())).toEqual([
      at8(addDays(validTo, 1)).toISOString(),
    ]);
    await f.consents.withdraw(s.socialWorker.actor, consent.id, 'withdrawn in writing');
    expect(await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRES_IN_30_DAYS)).toEqual([]);
    expect(await scheduled(s.person.id, ReminderRule.CONSENT_EXPIRED)).toEqual([]);
  });

  it('legal checks: due CASE_CHECK_DAYS after the case starts, each gone when done; LVM pre-assessment after the report', async () => {
    const s = await f.careSetting();
    const startedOn = addDays(today(), -2);
    await svc(CareEpisodeService).open(s.socialWorker.actor, s.person.id, {
      kind: EpisodeKind.SOCIAL_SERVICES,
      startedOn,
    });
    const checkDue = at8(addDays(startedOn, db.config.CASE_CHECK_DAYS)).toISOString();
    for (const rule of [
      ReminderRule.CHILDREN_QUESTION_UNANSWERED,
      ReminderRule.RELATIVES_NOT_IDENTIFIED,
      ReminderRule.VIOLENCE_NOT_ASSESSED,
    ]) {
      expect((await scheduled(s.person.id, rule)).map((o) => o.due_at.toISOString())).toEqual([checkDue]);
    }

    await svc(PersonService).update(s.socialWorker.actor, s.person.id, { childrenStatus: ChildrenStatus.NONE });
    expect(await scheduled(s.person.id, ReminderRule.CHILDREN_QUESTION_UNANSWERED)).toEqual([]);
    await svc(RelativeService).add(s.person.id, { name: 'Kim Testsson', relation: 'sister' });
    expect(await scheduled(s.person.id, ReminderRule.RELATIVES_NOT_IDENTIFIED)).toEqual([]);
    const checks = svc(CaseCheckService);
    await checks.record(s.socialWorker.actor, {
      personId: s.person.id,
      kind: CaseCheckKind.VIOLENCE_ASSESSED,
      doneOn: today(),
    });
    expect(await scheduled(s.person.id, ReminderRule.VIOLENCE_NOT_ASSESSED)).toEqual([]);

    const reportedOn = addDays(today(), -1);
    await checks.record(s.socialWorker.actor, {
      personId: s.person.id,
      kind: CaseCheckKind.LVM_REPORT,
      doneOn: reportedOn,
    });
    expect(
      (await scheduled(s.person.id, ReminderRule.LVM_PRE_ASSESSMENT_MISSING)).map((o) => o.due_at.toISOString()),
    ).toEqual([at8(addDays(reportedOn, db.config.LVM_PRE_ASSESSMENT_DAYS)).toISOString()]);
    await checks.record(s.socialWorker.actor, {
      personId: s.person.id,
      kind: CaseCheckKind.LVM_PRE_ASSESSMENT,
      doneOn: today(),
    });
    expect(await scheduled(s.person.id, ReminderRule.LVM_PRE_ASSESSMENT_MISSING)).toEqual([]);
  });

  it('an imported history raises no stale reminders: an old LVM report, an earlier case and its past contacts', async () => {
    const s = await f.careSetting();
    // An earlier case, opened months ago, with its last contact long past: entered today.
    await svc(CareEpisodeService).open(s.socialWorker.actor, s.person.id, {
      kind: EpisodeKind.SOCIAL_SERVICES,
      startedOn: addDays(today(), -120),
    });
    await svc(TimelineService).record(s.socialWorker.actor, s.person.id, {
      occurredAt: new Date(Date.now() - 90 * 86_400_000),
      kind: ContactKind.PHONE,
      summary: 'Samtal',
    });
    const checks = svc(CaseCheckService);
    await checks.record(s.socialWorker.actor, {
      personId: s.person.id,
      kind: CaseCheckKind.LVM_REPORT,
      doneOn: addDays(today(), -40),
    });
    for (const rule of [
      ReminderRule.CHILDREN_QUESTION_UNANSWERED,
      ReminderRule.RELATIVES_NOT_IDENTIFIED,
      ReminderRule.VIOLENCE_NOT_ASSESSED,
      ReminderRule.NO_CONTACT,
      ReminderRule.LVM_PRE_ASSESSMENT_MISSING,
    ]) {
      expect({ rule, scheduled: await scheduled(s.person.id, rule) }).toEqual({ rule, scheduled: [] });
    }
    // What happens from now on is reminded of: a new contact starts the no-contact count again.
    const contactAt = new Date(Date.now() - 3_600_000);
    await svc(TimelineService).record(s.socialWorker.actor, s.person.id, {
      occurredAt: contactAt,
      kind: ContactKind.PHONE,
      summary: 'Samtal',
    });
    expect((await scheduled(s.person.id, ReminderRule.NO_CONTACT)).map((o) => o.due_at.getTime())).toEqual([
      contactAt.getTime() + db.config.NO_CONTACT_ALERT_DAYS * 86_400_000,
    ]);
  });

  it('no contact: N days after the last contact, moved by each new contact; an ACT team sets its own N', async () => {
    const s = await f.careSetting();
    await svc(CareEpisodeService).open(s.socialWorker.actor, s.person.id, { kind: EpisodeKind.SOCIAL_SERVICES });
    const contactAt = new Date(Date.now() - 3_600_000);
    await svc(TimelineService).record(s.socialWorker.actor, s.person.id, {
      occurredAt: contactAt,
      kind: ContactKind.PHONE,
      summary: 'Talked',
    });
    const days = db.config.NO_CONTACT_ALERT_DAYS;
    expect((await scheduled(s.person.id, ReminderRule.NO_CONTACT)).map((o) => o.due_at.getTime())).toEqual([
      contactAt.getTime() + days * 86_400_000,
    ]);

    const team = await db.dataSource.query(
      `INSERT INTO act_team (name, organisation_id, no_contact_alert_days) VALUES ('ACT Test', $1, 5) RETURNING id`,
      [s.municipality.id],
    );
    await db.dataSource.query(`INSERT INTO act_team_client (team_id, person_id, valid_from) VALUES ($1, $2, $3)`, [
      team[0].id,
      s.person.id,
      today(),
    ]);
    expect((await scheduled(s.person.id, ReminderRule.NO_CONTACT)).map((o) => o.due_at.getTime())).toEqual([
      contactAt.getTime() + 5 * 86_400_000,
    ]);

    const later = new Date(Date.now() - 60_000);
    await svc(TimelineService).record(s.socialWorker.actor, s.person.id, {
      occurredAt: later,
      kind: ContactKind.HOME_VISIT,
      summary: 'Visit',
    });
    expect((await scheduled(s.person.id, ReminderRule.NO_CONTACT)).map((o) => o.due_at.getTime())).toEqual([
      later.getTime() + 5 * 86_400_000,
    ]);

    // The team changes its interval: everyone on its caseload moves with it.
    await svc(ActTeamService).setNoContactAlertDays(team[0].id, 10);
    expect((await scheduled(s.person.id, ReminderRule.NO_CONTACT)).map((o) => o.due_at.getTime())).toEqual([
      later.getTime() + 10 * 86_400_000,
    ]);
  });

  it('SIP meeting: the summons reaches staff in-app, by e-mail and SMS, and the person by SMS; two hours before, again', async () => {
    const s = await f.careSetting();
    await db.dataSource.query(`UPDATE staff_member SET email = 'sw@example.test' WHERE id = $1`, [
      s.socialWorker.staff.id,
    ]);
    await db.dataSource.query(`UPDATE staff_member SET phone = '+46700000001' WHERE id = $1`, [
      s.psychiatrist.staff.id,
    ]);
    await svc(NotificationService).setPreferences(s.psychiatrist.staff.id, {
      email: true,
      sms: true,
      locale: 'en',
      quietFrom: null,
      quietTo: null,
    });
    await svc(PersonService).update(s.socialWorker.actor, s.person.id, {
      preferredContactChannel: ContactChannel.SMS,
      phone: '+46700000099',
    });

    // Starts in two hours and four seconds: the summons is due now and the two-hour reminder in four seconds.
    const startsAt = new Date(Date.now() + 2 * 3_600_000 + 4_000);
    const meeting = await svc(SipMeetingService).plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt,
      location: 'Farsta, room 3',
      participantStaffIds: [s.socialWorker.staff.id, s.psychiatrist.staff.id],
      invitePerson: true,
    });

    await eventually(
      async () =>
        sms.received.filter((m) => m.to === '+46700000099').length >= 2 &&
        smtp.received.length >= 2 &&
        sms.received.length >= 4,
      15_000,
    );
    const toPerson = sms.received.filter((m) => m.to === '+46700000099');
    expect(toPerson[0].body).toMatch(/^Du är kallad till ett möte .*Farsta, room 3/);
    expect(toPerson[1].body).toMatch(/^Påminnelse: du har ett möte/);
    // E-mail and SMS to staff carry no health detail and no name: a link only.
    const email = smtp.received.find((m) => m.to === 'sw@example.test')!;
    expect(email.body).toContain('/notifications');
    expect(email.body).not.toContain(s.person.familyName);
    expect(email.body).not.toMatch(/SIP|möte/);
    expect(sms.received.find((m) => m.to === '+46700000001')!.body).toMatch(/^Samverka: reminder\. http/);

    const inbox = (await svc(NotificationService).forRecipient(s.psychiatrist.staff.id)).filter(isReminder);
    expect(inbox.map((n) => n.kind).sort()).toEqual([ReminderRule.MEETING_IN_2_HOURS, ReminderRule.MEETING_SUMMONS]);
    // In-app: the rule as kind, the moment as a parameter; the app words it in its language.
    expect(inbox.find((n) => n.kind === ReminderRule.MEETING_SUMMONS)!.params).toEqual({
      startsAt: startsAt.toISOString(),
    });

    // Every delivery recorded once, with distinct idempotency keys that are the keys the receivers saw.
    // The worker records SENT after the receiver has answered, so the last record may trail the message by a moment.
    const readDeliveries = (): Promise<Array<{ idempotency_key: string; status: string; channel: string }>> =>
      db.dataSource.query(
        `SELECT d.idempotency_key, d.status, d.channel FROM delivery d JOIN reminder r ON r.key = d.reminder_key WHERE r.subject_id = $1`,
        [meeting.id],
      );
    await eventually(async () => (await readDeliveries()).every((d) => d.status !== 'PENDING'));
    const deliveries = await readDeliveries();
    expect(deliveries.every((d) => d.status === 'SENT')).toBe(true);
    expect(
      deliveries
        .filter((d) => d.channel !== 'IN_APP')
        .map((d) => d.idempotency_key)
        .sort(),
    ).toEqual(
      [...smtp.received, ...sms.received]
        .map((m) => m.key)
        .filter((k) => deliveries.some((d) => d.idempotency_key === k))
        .sort(),
    );
    expect(new Set(sms.received.map((m) => m.key)).size).toBe(sms.received.length);
  });

  it('messages to a person whose language is English are in English: the SMS, and the appointment note staff print', async () => {
    const s = await f.careSetting();
    const other = await f.careSetting();
    await svc(PersonService).update(s.socialWorker.actor, s.person.id, {
      preferredContactChannel: ContactChannel.SMS,
      phone: '+46700000077',
      preferredLanguage: PersonLanguage.EN,
    });
    await svc(PersonService).update(other.socialWorker.actor, other.person.id, {
      preferredLanguage: PersonLanguage.EN,
    });
    const plan = (setting: typeof s) =>
      svc(SipMeetingService).plan(setting.socialWorker.actor, {
        personId: setting.person.id,
        startsAt: new Date(Date.now() + 3 * 86_400_000),
        location: 'Farsta, room 3',
        participantStaffIds: [setting.socialWorker.staff.id],
        invitePerson: true,
      });
    await plan(s);
    await plan(other);
    await eventually(async () => sms.received.some((m) => m.to === '+46700000077'), 15_000);
    expect(sms.received.find((m) => m.to === '+46700000077')!.body).toMatch(
      /^You are invited to a meeting about your plan \(SIP\) on .* at Farsta, room 3\. .*Welcome!$/,
    );
    // Who will be there (staff by given name) and whom to call: the planner.
    const planner = s.socialWorker.staff;
    expect(sms.received.find((m) => m.to === '+46700000077')!.body).toContain(
      `You will meet ${planner.givenName}. Questions? ${planner.phone ? `Call ${planner.givenName} ${planner.familyName}, ${planner.phone}` : `Ask ${planner.givenName} ${planner.familyName}`}.`,
    );
    // Without a phone, the planner prints the note: in the person's language, whatever the planner's.
    await eventually(async () =>
      (await svc(NotificationService).forRecipient(other.socialWorker.staff.id)).some((n) => n.params.appointmentNote),
    );
    const note = (await svc(NotificationService).forRecipient(other.socialWorker.staff.id)).find(
      (n) => n.params.appointmentNote,
    )!;
    expect(note.params.appointmentNote).toMatch(
      /^You are invited to a meeting about your plan \(SIP\) on .* at Farsta, room 3\. .*Welcome!$/,
    );
  });

  it('a moved meeting, or one with a new place or participant, summons again; a cancelled one tells those summoned and its reminders disappear', async () => {
    const s = await f.careSetting();
    const meetings = svc(SipMeetingService);
    const meeting = await meetings.plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      location: 'Psykiatri Syd',
      participantStaffIds: [s.nurse.staff.id],
      invitePerson: true,
    });
    const inboxOf = (id: string) => svc(NotificationService).forRecipient(id);
    await eventually(
      async () => (await inboxOf(s.nurse.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS).length === 1,
    );
    // The person has no phone: the planner gets an appointment note to print and hand over.
    await eventually(async () =>
      (await inboxOf(s.socialWorker.staff.id)).some((n) =>
        n.params.appointmentNote?.startsWith('Du är kallad till ett möte'),
      ),
    );

    await meetings.reschedule(meeting.id, { startsAt: new Date(Date.now() + 4 * 86_400_000) });
    await eventually(
      async () => (await inboxOf(s.nurse.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS).length === 2,
    );
    expect(await scheduled(s.person.id, ReminderRule.MEETING_TOMORROW)).toHaveLength(1);

    // A new place, and then a new participant, summon again: everyone, the new participant included.
    await meetings.reschedule(meeting.id, { location: 'Farsta, room 3' });
    await eventually(
      async () => (await inboxOf(s.nurse.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS).length === 3,
    );
    await meetings.reschedule(meeting.id, { participantStaffIds: [s.nurse.staff.id, s.psychiatrist.staff.id] });
    await eventually(
      async () =>
        (await inboxOf(s.psychiatrist.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS).length === 1,
    );
    await eventually(
      async () => (await inboxOf(s.nurse.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS).length === 4,
    );
    // Recording nothing new summons nobody: the same details derive the same occurrence.
    await meetings.reschedule(meeting.id, { location: 'Farsta, room 3' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await inboxOf(s.nurse.staff.id)).filter((n) => n.kind === ReminderRule.MEETING_SUMMONS)).toHaveLength(4);
    expect(await scheduled(s.person.id, ReminderRule.MEETING_TOMORROW)).toHaveLength(1);

    await meetings.cancel(meeting.id);
    await eventually(async () =>
      (await inboxOf(s.nurse.staff.id)).some((n) => n.kind === ReminderRule.MEETING_CANCELLED),
    );
    expect(await scheduled(s.person.id, ReminderRule.MEETING_TOMORROW)).toEqual([]);
    expect(await scheduled(s.person.id, ReminderRule.MEETING_IN_2_HOURS)).toEqual([]);
  });

  it('a person without a phone gets a printed note with the summons, but none two hours before (too late to hand over)', async () => {
    const s = await f.careSetting();
    const meeting = await svc(SipMeetingService).plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 2 * 3_600_000 + 3_000),
      location: 'Farsta, room 3',
      participantStaffIds: [s.nurse.staff.id],
      invitePerson: true,
    });
    const kinds = async (staffId: string) =>
      (await svc(NotificationService).forRecipient(staffId))
        .filter(isReminder)
        .map((n) => n.kind)
        .sort();
    await eventually(async () => (await kinds(s.nurse.staff.id)).length === 2, 15_000);
    expect(await kinds(s.nurse.staff.id)).toEqual([ReminderRule.MEETING_IN_2_HOURS, ReminderRule.MEETING_SUMMONS]);
    const notes: Array<{ rule: string }> = await db.dataSource.query(
      `SELECT r.rule FROM delivery d JOIN reminder r ON r.key = d.reminder_key WHERE r.subject_id = $1 AND d.channel = 'PRINTED_NOTE'`,
      [meeting.id],
    );
    expect(notes).toEqual([{ rule: ReminderRule.MEETING_SUMMONS }]);
  });

  it('when the planner has left, the appointment note goes to the coordinator', async () => {
    const s = await f.careSetting();
    const meeting = await svc(SipMeetingService).plan(s.nurse.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      location: 'Farsta, room 3',
      participantStaffIds: [s.psychiatrist.staff.id],
      invitePerson: false,
    });
    await db.dataSource.query(`UPDATE staff_member SET active = false WHERE id = $1`, [s.nurse.staff.id]);
    // Now the person is summoned too (by a printed note, having no phone).
    await db.dataSource.query(`UPDATE sip_meeting SET invite_person = true WHERE id = $1`, [meeting.id]);
    const [{ coordinator }] = await db.dataSource.query(
      `SELECT coordinator_staff_id AS coordinator FROM collaboration_group WHERE person_id = $1`,
      [s.person.id],
    );
    const notes = async () =>
      db.dataSource.query(
        `SELECT d.recipient_person_id, n.recipient_staff_id FROM delivery d JOIN reminder r ON r.key = d.reminder_key JOIN notification n ON n.delivery_id = d.id WHERE r.subject_id = $1 AND d.channel = 'PRINTED_NOTE'`,
        [meeting.id],
      );
    const [note] = await eventually(async () => {
      const rows = await notes();
      return rows.length > 0 && rows;
    }, 15_000);
    expect(note).toEqual({ recipient_person_id: s.person.id, recipient_staff_id: coordinator });
    expect(coordinator).not.toBe(s.nurse.staff.id);
  });

  it('a proposal 24 hours from its deadline reminds only those who have not voted; closing it cancels the rest', async () => {
    const s = await f.careSetting();
    const proposals = svc(ProposalService);
    const p = await proposals.open(s.socialWorker.actor, {
      personId: s.person.id,
      type: ProposalType.OTHER,
      title: 'Byt boende',
      rationale: 'Needs a calmer place',
      deadline: new Date(Date.now() + 24 * 3_600_000 + 3_000),
    });
    await proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE);
    await eventually(
      async () =>
        (await svc(NotificationService).forRecipient(s.socialWorker.staff.id)).some(
          (n) => n.kind === ReminderRule.VOTES_MISSING_24_HOURS,
        ),
      15_000,
    );
    expect(
      (await svc(NotificationService).forRecipient(s.psychiatrist.staff.id)).some(
        (n) => n.kind === ReminderRule.VOTES_MISSING_24_HOURS,
      ),
    ).toBe(false);

    const later = await proposals.open(s.socialWorker.actor, {
      personId: s.person.id,
      type: ProposalType.OTHER,
      title: 'Annat',
      rationale: 'Later',
      deadline: new Date(Date.now() + 5 * 86_400_000),
    });
    expect(await scheduled(s.person.id, ReminderRule.VOTES_MISSING_48_HOURS)).toHaveLength(1);
    await proposals.vote(s.psychiatrist.actor, later.id, VoteChoice.AGREE);
    await proposals.vote(s.socialWorker.actor, later.id, VoteChoice.AGREE);
    expect(await scheduled(s.person.id, ReminderRule.VOTES_MISSING_48_HOURS)).toEqual([]);
  });

  it('a failing recipient is retried with backoff, then marked failed and listed; the others are delivered', async () => {
    const s = await f.careSetting();
    await db.dataSource.query(`UPDATE staff_member SET phone = '+46700000666' WHERE id = $1`, [s.nurse.staff.id]);
    await db.dataSource.query(`UPDATE staff_member SET phone = '+46700000777' WHERE id = $1`, [
      s.psychiatrist.staff.id,
    ]);
    for (const who of [s.nurse, s.psychiatrist])
      await svc(NotificationService).setPreferences(who.staff.id, {
        email: false,
        sms: true,
        locale: 'sv',
        quietFrom: null,
        quietTo: null,
      });
    sms.failFor.add('+46700000666');
    await svc(SipMeetingService).plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      location: 'Farsta',
      participantStaffIds: [s.nurse.staff.id, s.psychiatrist.staff.id],
      invitePerson: false,
    });
    await eventually(async () => sms.received.some((m) => m.to === '+46700000777'));
    const failed = await eventually(
      async () =>
        (await svc(ReminderDispatcher).failedDeliveries()).find((d) => d.recipient_staff_id === s.nurse.staff.id),
      15_000,
    );
    expect(failed).toMatchObject({
      channel: 'SMS',
      rule: ReminderRule.MEETING_SUMMONS,
      attempts: 3,
      last_error: 'SmsGatewayError500',
    });
  });

  it('quiet hours hold a non-urgent e-mail until they end; an urgent one goes at once', async () => {
    const s = await f.careSetting();
    await db.dataSource.query(`UPDATE staff_member SET email = 'quiet@example.test' WHERE id = $1`, [s.nurse.staff.id]);
    const hhmm = (d: Date) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(d);
    const quietTo = hhmm(new Date(Date.now() + 2 * 3_600_000));
    await svc(NotificationService).setPreferences(s.nurse.staff.id, {
      email: true,
      sms: false,
      locale: 'sv',
      quietFrom: hhmm(new Date(Date.now() - 3_600_000)),
      quietTo,
    });
    const meeting = await svc(SipMeetingService).plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      location: 'Farsta',
      participantStaffIds: [s.nurse.staff.id],
      invitePerson: false,
    });
    const [pending] = await eventually(async () => {
      const rows = await db.dataSource.query(
        `SELECT d.id, d.status FROM delivery d JOIN reminder r ON r.key = d.reminder_key WHERE r.subject_id = $1 AND d.channel = 'EMAIL' AND d.recipient_staff_id = $2`,
        [meeting.id, s.nurse.staff.id],
      );
      return rows.length ? rows : null;
    });
    const emailJobs = worker.get(JobQueue).queue(QueueName.EMAIL);
    const job = await eventually(async () => {
      const j = await emailJobs.getJob(`delivery.${pending.id}`);
      // Delayed by the quiet hours (over an hour ahead), not by a retry's short backoff.
      return j && (await j.getState()) === 'delayed' && j.timestamp + j.delay > Date.now() + 3_600_000 ? j : null;
    });
    // Held until quiet hours end: the next time the clock shows quietTo (tomorrow if that is past midnight).
    let quietEnds = stockholmInstant(today(), quietTo).getTime();
    if (quietEnds <= Date.now()) quietEnds += 24 * 3_600_000;
    expect(Math.abs(job.timestamp + job.delay - quietEnds)).toBeLessThan(61_000);
    expect(smtp.received.some((m) => m.to === 'quiet@example.test')).toBe(false);

    await svc(SipMeetingService).cancel(meeting.id);
    await eventually(async () => smtp.received.some((m) => m.to === 'quiet@example.test' && /brådskande/.test(m.body)));
  });
});
