import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { APP_CONFIG, AppConfig, JobName, JobQueue } from '@samverka/infrastructure';
import { today } from '../time';
import { deriveReminders, ReminderFacts, ReminderSettings } from './reminder-rules';
import { REMINDER_EVENT_SQL } from './reminder-subject';
import { sql } from '../database/sql';

/**
 * The BullMQ job id of one occurrence, from its opaque `job_ref`: deterministic, and new when a cancelled
 * occurrence comes back. Never the key: job ids and payloads show in the queue dashboard, and a key pairs
 * a rule (an LVM report, violence, children) with a person id.
 */
export const reminderJobId = (ref: string, generation: number) => `reminder.${ref}.g${generation}`;
export const deliveryJobId = (deliveryId: string) => `delivery.${deliveryId}`;
/** The one delayed job of every occurrence due at a moment: the moment alone, nothing about whom or what. */
export const remindersDueJobId = (dueAt: Date) => `reminders-due.${dueAt.getTime()}`;
/** The job of a batch of e-mails, named by its first delivery (made once, by the firing that made them all). */
export const emailBatchJobId = (firstDeliveryId: string) => `emails.${firstDeliveryId}`;

/**
 * How far ahead an occurrence must fall due to share its moment's job. A moment's job fires whatever is due
 * when it runs, so a job added for a moment whose job is already running would be dropped by BullMQ (same id)
 * and its occurrence left to the sweep; an occurrence due sooner than this gets a job of its own instead.
 */
export const SHARED_DUE_JOB_MIN_DELAY_MS = 2_000;
/**
 * A batch job sends an e-mail only while it is younger than this (ReminderDispatcher.sendEmails); an e-mail's own
 * job, unless its batch handed it over, runs only once it is EMAIL_OWN_JOB_AFTER_MS old. So the two never send one
 * e-mail at the same time, whoever enqueues the own job (the sweep, a rebuild after Redis lost its data, a firing
 * run again).
 */
export const EMAIL_BATCH_WINDOW_S = 90;
const EMAIL_OWN_JOB_AFTER_MS = 120_000;
/** E-mails in one batch job: a burst's e-mails spread over a few jobs, each sending as they come. */
const EMAIL_BATCH = 250;

/** What a reconcile changed in the schedule, for BullMQ once the transaction has committed. */
export interface QueueChanges {
  add: Array<{ ref: string; generation: number; dueAt: Date }>;
  remove: string[];
}

/** One lock per person, taken by every writer of that person's reminders (relay, due job, rebuild). */
export const personReminderLockKey = (personIdSql: string) => `hashtextextended('reminders:' || ${personIdSql}, 0)`;
export const lockPersonReminders = (personIdSql: string) =>
  `pg_advisory_xact_lock(${personReminderLockKey(personIdSql)})`;
const PERSON_REMINDER_LOCK = `SELECT ${lockPersonReminders('$1::text')}`;

const FACTS_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object('id', id, 'status', status, 'followUpOn', follow_up_on, 'consentValidUntil', consent_valid_until)), '[]')
       FROM sip_plan WHERE person_id = $1 AND status <> 'CLOSED') AS plans,
    (SELECT coalesce(json_agg(json_build_object('id', id, 'validTo', valid_to, 'recordedAt', recorded_at)), '[]')
       FROM consent WHERE person_id = $1 AND withdrawn_at IS NULL AND valid_to IS NOT NULL) AS consents,
    (SELECT coalesce(json_agg(json_build_object('id', m.id, 'startsAt', m.starts_at, 'status', m.status,
              'summoned', EXISTS (SELECT 1 FROM reminder r WHERE r.subject_id = m.id AND r.rule = 'MEETING_SUMMONS' AND r.status = 'FIRED'),
              'announced', left(md5(concat_ws('|', m.location, m.invite_person,
                 (SELECT string_agg(p.staff_id::text, ',' ORDER BY p.staff_id) FROM sip_meeting_participant p WHERE p.meeting_id = m.id))), 8))), '[]')
       FROM sip_meeting m WHERE m.person_id = $1 AND m.starts_at > $2::timestamptz) AS meetings,
    (SELECT coalesce(json_agg(json_build_object('id', id, 'deadline', deadline)), '[]')
       FROM proposal WHERE person_id = $1 AND status = 'OPEN') AS proposals,
    (SELECT min(started_on)::text FROM care_episode WHERE person_id = $1 AND status = 'ACTIVE') AS case_started_on,
    (SELECT created_at FROM care_episode WHERE person_id = $1 AND status = 'ACTIVE' ORDER BY started_on, created_at LIMIT 1) AS case_recorded_at,
    (SELECT children_status <> 'UNKNOWN' FROM person WHERE id = $1) AS children_answered,
    (EXISTS (SELECT 1 FROM relative WHERE person_id = $1)
      OR EXISTS (SELECT 1 FROM case_check WHERE person_id = $1 AND kind = 'RELATIVES_IDENTIFIED')) AS relatives_identified,
    EXISTS (SELECT 1 FROM case_check WHERE person_id = $1 AND kind = 'VIOLENCE_ASSESSED') AS violence_assessed,
    (SELECT json_build_object('on', r.done_on::text, 'recordedAt', r.created_at) FROM case_check r
      WHERE r.person_id = $1 AND r.kind = 'LVM_REPORT'
        AND NOT EXISTS (SELECT 1 FROM case_check p WHERE p.person_id = $1 AND p.kind = 'LVM_PRE_ASSESSMENT' AND p.done_on >= r.done_on)
      ORDER BY r.done_on, r.created_at LIMIT 1) AS lvm_report,
    (SELECT json_build_object('at', occurred_at, 'recordedAt', created_at) FROM contact_entry WHERE person_id = $1
      ORDER BY occurred_at DESC, created_at DESC LIMIT 1) AS last_contact,
    (SELECT json_build_object('since', min(c.valid_from), 'noContactDays', min(t.no_contact_alert_days))
       FROM act_team_client c JOIN act_team t ON t.id = c.team_id
      WHERE c.person_id = $1 AND ${activeOn('c', '$3')}) AS act_team`;

interface FactsRow {
  plans: ReminderFacts['plans'];
  consents: Array<{ id: string; validTo: string; recordedAt: string }>;
  meetings: Array<{
    id: string;
    startsAt: string;
    status: 'PLANNED' | 'HELD' | 'CANCELLED';
    summoned: boolean;
    announced: string;
  }>;
  proposals: Array<{ id: string; deadline: string }>;
  case_started_on: string | null;
  case_recorded_at: Date | null;
  children_answered: boolean | null;
  relatives_identified: boolean;
  violence_assessed: boolean;
  lvm_report: { on: string; recordedAt: string } | null;
  last_contact: { at: string; recordedAt: string } | null;
  act_team: { since: string | null; noContactDays: number | null };
}

/**
 * Keeps each person's reminder occurrences equal to what the rules derive from the data, and BullMQ's
 * delayed jobs equal to the scheduled occurrences. Called by the outbox relay after every change, by
 * a due job whose person has unprocessed changes, and nightly for everyone.
 */
/** A scheduled occurrence with when the thing it is about happens (see reminder-subject.ts). */
export interface UpcomingReminder {
  personId: string;
  rule: string;
  dueAt: Date;
  subjectId: string;
  eventAt: Date | null;
  eventOn: string | null;
}

@Injectable()
export class ReminderScheduler {
  constructor(
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get settings(): ReminderSettings {
    return {
      timeOfDay: this.config.REMINDER_TIME_OF_DAY,
      caseCheckDays: this.config.CASE_CHECK_DAYS,
      lvmPreAssessmentDays: this.config.LVM_PRE_ASSESSMENT_DAYS,
      noContactDays: this.config.NO_CONTACT_ALERT_DAYS,
    };
  }

  async facts(tx: EntityManager, personId: string, now: Date): Promise<ReminderFacts> {
    const [row] = await sql<FactsRow>(tx, FACTS_SQL, [personId, now, today(now)]);
    return {
      personId,
      plans: row.plans,
      consents: row.consents.map((c) => ({ ...c, recordedAt: new Date(c.recordedAt) })),
      meetings: row.meetings.map((m) => ({ ...m, startsAt: new Date(m.startsAt) })),
      openProposals: row.proposals.map((p) => ({ id: p.id, deadline: new Date(p.deadline) })),
      caseStartedOn: row.case_started_on,
      caseRecordedAt: row.case_recorded_at ? new Date(row.case_recorded_at) : null,
      childrenQuestionAnswered: row.children_answered ?? true,
      relativesIdentified: row.relatives_identified,
      violenceAssessed: row.violence_assessed,
      lvmReportWithoutPreAssessmentOn: row.lvm_report?.on ?? null,
      lvmReportRecordedAt: row.lvm_report ? new Date(row.lvm_report.recordedAt) : null,
      lastContactAt: row.last_contact ? new Date(row.last_contact.at) : null,
      lastContactRecordedAt: row.last_contact ? new Date(row.last_contact.recordedAt) : null,
      actTeam:
        row.act_team.since && row.act_team.noContactDays
          ? { since: row.act_team.since, noContactDays: row.act_team.noContactDays }
          : null,
    };
  }

  /**
   * Brings one person's occurrences up to date, in the caller's transaction: new ones are inserted and
   * those no longer derived are cancelled. Returns the queue changes, which the caller applies with
   * `apply` after the commit (a job added earlier could run before its row is visible). A crash
   * between the commit and `apply` is caught by `requeueOverdue`.
   */
  async reconcile(tx: EntityManager, personId: string, now = new Date()): Promise<QueueChanges> {
    await sql(tx, PERSON_REMINDER_LOCK, [personId]);
    // Changes committed before the lock are read below, so their outbox rows are done with.
    await sql(
      tx,
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE topic = 'reconcile' AND ref = $1 FOR UPDATE SKIP LOCKED)`,
      [personId],
    );
    const desired = deriveReminders(await this.facts(tx, personId, now), this.settings, now);
    const existing = await sql<{ key: string; status: string; generation: number; ref: string }>(
      tx,
      `SELECT key, status, generation, job_ref AS ref FROM reminder WHERE person_id = $1 AND (status = 'SCHEDULED' OR key = ANY($2::text[]))`,
      [personId, desired.map((d) => d.key)],
    );
    const byKey = new Map(existing.map((e) => [e.key, e]));
    const desiredKeys = new Set(desired.map((d) => d.key));

    const fresh = desired.filter((d) => !byKey.has(d.key));
    const revived = desired.filter((d) => byKey.get(d.key)?.status === 'CANCELLED');
    const cancelled = existing.filter((e) => e.status === 'SCHEDULED' && !desiredKeys.has(e.key));

    const changes: QueueChanges = { add: [], remove: [] };
    if (fresh.length) {
      const inserted = await sql<{ ref: string; due_at: Date }>(
        tx,
        `INSERT INTO reminder (key, rule, person_id, subject_id, due_at)
         SELECT k, r, $1, s, d FROM unnest($2::text[], $3::text[], $4::uuid[], $5::timestamptz[]) AS t(k, r, s, d)
         RETURNING job_ref AS ref, due_at`,
        [
          personId,
          fresh.map((o) => o.key),
          fresh.map((o) => o.rule),
          fresh.map((o) => o.subjectId),
          fresh.map((o) => o.dueAt),
        ],
      );
      changes.add.push(...inserted.map((r) => ({ ref: r.ref, generation: 1, dueAt: new Date(r.due_at) })));
    }
    for (const occurrence of revived) {
      const [row] = await sql<{ generation: number; ref: string }>(
        tx,
        `UPDATE reminder SET status = 'SCHEDULED', generation = generation + 1, due_at = $2, updated_at = now() WHERE key = $1 RETURNING generation, job_ref AS ref`,
        [occurrence.key, occurrence.dueAt],
      );
      changes.add.push({ ref: row.ref, generation: row.generation, dueAt: occurrence.dueAt });
    }
    if (cancelled.length) {
      await sql(tx, `UPDATE reminder SET status = 'CANCELLED', updated_at = now() WHERE key = ANY($1::text[])`, [
        cancelled.map((c) => c.key),
      ]);
      changes.remove.push(...cancelled.map((c) => reminderJobId(c.ref, c.generation)));
    }
    return changes;
  }

  /**
   * Hands committed changes to BullMQ. A cancelled occurrence's own job is removed; a shared due moment's job
   * stays (others may be due then) and fires only what is still scheduled when it runs.
   */
  async apply(changes: QueueChanges, now = new Date()): Promise<void> {
    if (changes.remove.length) await this.jobs.removeMany(JobName.REMINDER_DUE, changes.remove);
    await this.enqueueReminders(changes.add, now);
  }

  /**
   * Occurrences due later share one delayed job per due moment (a burst of 10,000 due together is one job);
   * one due now or within SHARED_DUE_JOB_MIN_DELAY_MS, or overdue, gets a job of its own, at once.
   */
  private async enqueueReminders(
    reminders: Array<{ ref: string; generation: number; dueAt: Date }>,
    now: Date,
  ): Promise<void> {
    const soon = reminders.filter((r) => r.dueAt.getTime() - now.getTime() < SHARED_DUE_JOB_MIN_DELAY_MS);
    const moments = [
      ...new Set(
        reminders
          .filter((r) => r.dueAt.getTime() - now.getTime() >= SHARED_DUE_JOB_MIN_DELAY_MS)
          .map((r) => r.dueAt.getTime()),
      ),
    ];
    await this.jobs.enqueueMany(
      JobName.REMINDERS_DUE_AT,
      moments.map((dueAt) => ({
        payload: { dueAt },
        jobId: remindersDueJobId(new Date(dueAt)),
        delay: dueAt - now.getTime(),
      })),
    );
    await this.jobs.enqueueMany(
      JobName.REMINDER_DUE,
      soon.map((r) => ({
        payload: { ref: r.ref, generation: r.generation },
        jobId: reminderJobId(r.ref, r.generation),
        delay: Math.max(0, r.dueAt.getTime() - now.getTime()),
      })),
    );
  }

  /**
   * The safety net for a crash between a commit and its enqueue: occurrences that should have fired
   * and unsent messages older than `graceMs` are enqueued again. A job that is still there (waiting,
   * delayed for retry or quiet hours) keeps its id, so this adds nothing twice. The grace is long
   * because re-adding is not free: in a burst, thousands of occurrences wait in the queue for a while,
   * and a killed worker's jobs come back by BullMQ's own stalled-job check within seconds anyway.
   */
  async requeueOverdue(graceMs = 120_000, now = new Date()): Promise<{ reminders: number; deliveries: number }> {
    const before = new Date(now.getTime() - graceMs);
    const reminders = await sql<{ ref: string; generation: number; due_at: Date }>(
      this.db,
      `SELECT job_ref AS ref, generation, due_at FROM reminder WHERE status = 'SCHEDULED' AND due_at < $1 ORDER BY due_at LIMIT 5000`,
      [before],
    );
    await this.enqueueReminders(
      reminders.map((r) => ({ ref: r.ref, generation: r.generation, dueAt: new Date(r.due_at) })),
      now,
    );
    const deliveries = await sql<{ id: string; channel: string }>(
      this.db,
      `SELECT id, channel FROM delivery WHERE status = 'PENDING' AND channel IN ('EMAIL', 'SMS') AND created_at < $1 ORDER BY created_at LIMIT 5000`,
      [before],
    );
    await this.enqueueDeliveries(deliveries);
    return { reminders: reminders.length, deliveries: deliveries.length };
  }

  /** The scheduled occurrences of many persons, soonest first. */
  /** The scheduled occurrences, soonest first, each with when the thing it is about happens (see reminder-subject.ts). */
  upcoming(personIds: readonly string[]): Promise<UpcomingReminder[]> {
    return sql<UpcomingReminder>(
      this.db,
      `SELECT r.person_id AS "personId", r.rule, r.due_at AS "dueAt", r.subject_id AS "subjectId",
              ${REMINDER_EVENT_SQL.eventAt} AS "eventAt", ${REMINDER_EVENT_SQL.eventOn} AS "eventOn"
         FROM reminder r WHERE r.person_id = ANY($1::uuid[]) AND r.status = 'SCHEDULED' ORDER BY r.due_at`,
      [personIds],
    );
  }

  /** Asks for every person with reminders or an open case to be derived again (the nightly catch-up). */
  async requestFullReconcile(): Promise<number> {
    // Counted from RETURNING: TypeORM answers an INSERT's rows, never its count (this answered undefined before).
    const queued = await sql<{ ref: string }>(
      this.db,
      `INSERT INTO outbox (topic, ref)
       SELECT 'reconcile', id FROM person p
        WHERE EXISTS (SELECT 1 FROM reminder r WHERE r.person_id = p.id AND r.status = 'SCHEDULED')
           OR EXISTS (SELECT 1 FROM care_episode e WHERE e.person_id = p.id AND e.status = 'ACTIVE')
           OR EXISTS (SELECT 1 FROM act_team_client c WHERE c.person_id = p.id AND c.valid_to IS NULL)
       RETURNING ref`,
    );
    return queued.length;
  }

  /**
   * Puts every scheduled occurrence and every unsent e-mail or SMS back into BullMQ, from PostgreSQL.
   * Used when Redis has lost its data; deterministic job ids make it harmless when it has not.
   */
  async rebuildQueues(now = new Date(), pageSize = 2000): Promise<{ reminders: number; deliveries: number }> {
    let reminders = 0;
    for (let after = ''; ;) {
      const page = await sql<{ key: string; ref: string; generation: number; due_at: Date }>(
        this.db,
        `SELECT key, job_ref AS ref, generation, due_at FROM reminder WHERE status = 'SCHEDULED' AND key > $1 ORDER BY key LIMIT $2`,
        [after, pageSize],
      );
      if (page.length === 0) break;
      await this.enqueueReminders(
        page.map((r) => ({ ref: r.ref, generation: r.generation, dueAt: new Date(r.due_at) })),
        now,
      );
      reminders += page.length;
      after = page[page.length - 1].key;
    }
    let deliveries = 0;
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const page = await sql<{ id: string; channel: string; created_at: Date }>(
        this.db,
        `SELECT id, channel, created_at FROM delivery WHERE status = 'PENDING' AND channel IN ('EMAIL', 'SMS') AND id > $1 ORDER BY id LIMIT $2`,
        [after, pageSize],
      );
      if (page.length === 0) break;
      await this.enqueueDeliveries(page, now);
      deliveries += page.length;
      after = page[page.length - 1].id;
    }
    return { reminders, deliveries };
  }

  /** Occurrences due now, each with a job of its own (one that failed in a due moment's batch). */
  handOver(occurrences: Array<{ ref: string; generation: number }>, now = new Date()): Promise<void> {
    return this.enqueueReminders(
      occurrences.map((o) => ({ ...o, dueAt: now })),
      now,
    );
  }

  /** E-mails just made by one firing, in batch jobs of EMAIL_BATCH (see ReminderDispatcher.sendEmails). */
  async enqueueEmailBatches(deliveryIds: string[]): Promise<void> {
    const batches: string[][] = [];
    for (let i = 0; i < deliveryIds.length; i += EMAIL_BATCH) batches.push(deliveryIds.slice(i, i + EMAIL_BATCH));
    await this.jobs.enqueueMany(
      JobName.DELIVER_EMAIL_BATCH,
      batches.map((ids) => ({ payload: { deliveryIds: ids }, jobId: emailBatchJobId(ids[0]) })),
    );
  }

  /**
   * A job of its own for each e-mail or SMS. An e-mail that a batch job may still be sending (`created_at` given,
   * younger than EMAIL_OWN_JOB_AFTER_MS) waits until it is that old; one its batch handed over goes at once.
   */
  async enqueueDeliveries(
    deliveries: Array<{ id: string; channel: string; created_at?: Date }>,
    now = new Date(),
  ): Promise<void> {
    const toJob = (d: { id: string; channel: string; created_at?: Date }) => ({
      payload: { deliveryId: d.id },
      jobId: deliveryJobId(d.id),
      delay:
        d.channel === 'EMAIL' && d.created_at
          ? Math.max(0, new Date(d.created_at).getTime() + EMAIL_OWN_JOB_AFTER_MS - now.getTime())
          : undefined,
    });
    await this.jobs.enqueueMany(JobName.DELIVER_EMAIL, deliveries.filter((d) => d.channel === 'EMAIL').map(toJob));
    await this.jobs.enqueueMany(JobName.DELIVER_SMS, deliveries.filter((d) => d.channel === 'SMS').map(toJob));
  }
}
