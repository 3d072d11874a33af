import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Batcher, Permits } from '@samverka/infrastructure';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { NotificationService } from '../notifications/notification.service';
import { ContactChannel, ProtectedIdentity } from '../person/person.enums';
import { whereaboutsHidden } from '../person/whereabouts';
import { EmailChannel } from './channels/email.channel';
import { SMS_GATEWAY, SmsGateway } from './channels/sms.gateway';
import { NotificationParams } from '../notifications/notification-kind';
import { asLocale, Locale, MeetingPeople, personMeetingText, staffEmail, staffSms } from './messages';
import { quietUntil } from './quiet-hours';
import { staffRecipientsOf } from './recipients';
import {
  lockPersonReminders,
  personReminderLockKey,
  EMAIL_BATCH_WINDOW_S,
  QueueChanges,
  reminderJobId,
  ReminderScheduler,
} from './reminder-scheduler.service';
import { ReminderRule, URGENT_RULES } from './reminder-rules';
import { sql } from '../database/sql';

export enum DeliveryChannel {
  IN_APP = 'IN_APP',
  EMAIL = 'EMAIL',
  SMS = 'SMS',
  /** An appointment note that staff print and hand over (for a person without a phone). */
  PRINTED_NOTE = 'PRINTED_NOTE',
}

interface DueRow {
  key: string;
  /** The occurrence's opaque id, which its job id is made of (`reminderJobId`). */
  ref: string;
  rule: ReminderRule;
  person_id: string;
  subject_id: string;
  status: string;
  generation: number;
  /** Whether a change to the person waits in the outbox (the relay has not derived it yet). */
  pending: boolean;
}

/** What an occurrence is about: the date or moment its text names, and for a meeting how to reach the person. */
interface Subject {
  date: string | null;
  startsAt: Date | null;
  location: string | null;
  /** Who hands over a printed appointment note: the meeting's planner, or the coordinator if the planner has left. */
  plannedBy: string | null;
  /** Whether the note may name the place: not for a protected identity, unless whoever hands it over may know it. */
  placeOnNote: boolean;
  invitePerson: boolean;
  personChannel: ContactChannel | null;
  personHasPhone: boolean;
  /** The language messages to the person are written in. */
  personLocale: Locale;
  /** Whom the person calls (the planner, or the coordinator if the planner has left) and who takes part: for the person's summons. */
  people: MeetingPeople;
}

type Recipient = { staffId: string } | { personId: string };

interface PlannedDelivery {
  occurrence: DueRow;
  recipient: Recipient;
  channel: DeliveryChannel;
  /** The in-app notification's parameters, for IN_APP and PRINTED_NOTE deliveries (written with them, in the same statement). */
  inAppParams: NotificationParams | null;
  notifyStaffId: string | null;
}

const NO_SUBJECT: Subject = {
  date: null,
  startsAt: null,
  location: null,
  plannedBy: null,
  placeOnNote: false,
  invitePerson: false,
  personChannel: null,
  personHasPhone: false,
  personLocale: 'sv',
  people: {},
};

/**
 * How many e-mails may be handed to SMTP and not yet recorded as sent, in the whole process: what a killed worker
 * can leave to be sent again (with the same Message-ID). Enough to keep the pooled SMTP connections busy while
 * the records of earlier sends are written together.
 */
export const EMAIL_SENDS_IN_FLIGHT = 64;
/** Occurrences fired in one transaction, and transactions at once, when a due moment's job fires a burst. */
const FIRE_BATCH = 500;
const FIRE_PARALLEL = 2;

const DELIVERY_TO_SEND_SQL = `
  SELECT d.id, d.channel, d.status, d.idempotency_key, d.recipient_staff_id, d.recipient_person_id,
         r.rule, r.subject_id, r.person_id,
         coalesce(s.email, '') AS staff_email, coalesce(s.phone, p.phone, '') AS phone,
         np.locale, np.quiet_from::text AS quiet_from, np.quiet_to::text AS quiet_to,
         d.created_at > now() - make_interval(secs => ${EMAIL_BATCH_WINDOW_S}) AS fresh
    FROM delivery d JOIN reminder r ON r.key = d.reminder_key
    LEFT JOIN staff_member s ON s.id = d.recipient_staff_id
    LEFT JOIN person p ON p.id = d.recipient_person_id
    LEFT JOIN notification_preference np ON np.staff_id = d.recipient_staff_id`;

interface DeliveryToSend {
  id: string;
  channel: DeliveryChannel;
  status: string;
  idempotency_key: string;
  recipient_staff_id: string | null;
  recipient_person_id: string | null;
  rule: ReminderRule;
  subject_id: string;
  person_id: string;
  staff_email: string;
  phone: string;
  locale: string | null;
  quiet_from: string | null;
  quiet_to: string | null;
  fresh: boolean;
}

/** The same occurrence, recipient and channel always give the same key (the receiver's duplicate filter). */
export function idempotencyKey(occurrenceKey: string, recipient: Recipient, channel: DeliveryChannel): string {
  const who = 'staffId' in recipient ? `staff:${recipient.staffId}` : `person:${recipient.personId}`;
  return createHash('sha256').update(`${occurrenceKey}|${who}|${channel}`).digest('hex').slice(0, 40);
}

/** What a failed send throws: the channel's error class and code, never its message. */
export class DeliveryFailedError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'DeliveryFailedError';
  }
}

export type SendOutcome =
  { sent: true } | { sent: false; reason: 'not-pending' } | { sent: false; reason: 'quiet-hours'; until: Date };

/**
 * Fires occurrences and sends their messages. Firing records one delivery per recipient and channel
 * in one transaction: in-app notifications are written in that same transaction (exactly once); e-mail
 * and SMS get one job each, added after the commit (a crash in between is caught by the relay's sweep,
 * or by the same job running again).
 */
/** A delivery that gave up, for administrators (ids and codes only). */
export interface FailedDelivery {
  id: string;
  channel: string;
  rule: string;
  reminder_key: string;
  recipient_staff_id: string | null;
  recipient_person_id: string | null;
  attempts: number;
  last_error: string | null;
  failed_at: Date;
}

/** What a meeting reminder reads of its meeting, person and contact. */
interface MeetingSubjectRow {
  id: string;
  starts_at: Date;
  location: string;
  invite_person: boolean;
  preferred_contact_channel: ContactChannel | null;
  has_phone: boolean;
  preferred_language: string | null;
  protected_identity: ProtectedIdentity;
  note_to: string | null;
  note_to_authorised: boolean | null;
  contact_name: string | null;
  contact_phone: string | null;
  participant_names: string[] | null;
}

@Injectable()
export class ReminderDispatcher {
  private readonly logger = new Logger('Reminders');
  private readonly emailSends = new Permits(EMAIL_SENDS_IN_FLIGHT);
  /** The e-mails a batch has sent, recorded together: one statement for those that finished meanwhile. */
  private readonly sentEmails = new Batcher<string, void>(
    async (ids) => {
      await sql(
        this.db,
        `UPDATE delivery SET status = 'SENT', sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
        [ids],
      );
      return ids.map(() => undefined);
    },
    { maxBatch: 1000, maxInFlight: 2 },
  );

  constructor(
    private readonly db: DataSource,
    private readonly scheduler: ReminderScheduler,
    private readonly notifications: NotificationService,
    private readonly email: EmailChannel,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Fires the occurrences still scheduled in the given generation, in one transaction; returns how many
   * deliveries each made (null for one that was not due in that generation, or had fired before). A
   * burst of occurrences falling due together is bounded by the statements each costs, so this takes a
   * fixed number of statements whatever the batch size: lock, read, recipients (one per rule), subjects
   * (one per kind), one write, commit. The answer is keyed by the occurrence's job id (`reminderJobId`),
   * since two generations of one occurrence may be asked for together.
   */
  async fireMany(
    occurrences: ReadonlyArray<{ ref: string; generation: number }>,
    now = new Date(),
  ): Promise<Map<string, number | null>> {
    const made = new Map<string, number | null>(occurrences.map((o) => [reminderJobId(o.ref, o.generation), null]));
    // A job from before occurrences had opaque ids carries none: nothing to fire (the sweep enqueues it again).
    const refs = [...new Set(occurrences.map((o) => o.ref))].filter((ref) => typeof ref === 'string');
    const inApp: string[] = [];
    const external: Array<{ id: string; channel: string; created_at?: Date }> = [];
    const emails: string[] = [];
    const changes: QueueChanges = { add: [], remove: [] };
    await this.db.transaction(async (tx) => {
      // The persons' locks first (the relay's order), in one global order so that batches never deadlock.
      await sql(
        tx,
        `SELECT ${lockPersonReminders('person_id::text')} FROM (SELECT DISTINCT person_id FROM reminder WHERE job_ref = ANY($1::uuid[])) p
          ORDER BY ${personReminderLockKey('person_id::text')}`,
        [refs],
      );
      const read = (which: string[]): Promise<DueRow[]> =>
        sql<DueRow>(
          tx,
          `SELECT r.key, r.job_ref AS ref, r.rule, r.person_id, r.subject_id, r.status, r.generation,
                  EXISTS (SELECT 1 FROM outbox o WHERE o.topic = 'reconcile' AND o.ref = r.person_id) AS pending
             FROM reminder r WHERE r.job_ref = ANY($1::uuid[]) ORDER BY r.key FOR UPDATE OF r`,
          [which],
        );
      let rows = await read(refs);
      // A change the relay has not derived yet could move or cancel these very occurrences.
      const pendingPersons = [...new Set(rows.filter((r) => r.pending).map((r) => r.person_id))];
      if (pendingPersons.length) {
        for (const personId of pendingPersons) {
          const changed = await this.scheduler.reconcile(tx, personId, now);
          changes.add.push(...changed.add);
          changes.remove.push(...changed.remove);
        }
        rows = await read(refs);
      }
      const current = rows.filter((r) => made.has(reminderJobId(r.ref, r.generation)));
      // Fired before, by a job whose worker died after the commit: hand over what it had not.
      const refired = current.filter((r) => r.status === 'FIRED').map((r) => r.key);
      if (refired.length) {
        external.push(
          ...(await sql<{ id: string; channel: string; created_at: Date }>(
            tx,
            `SELECT id, channel, created_at FROM delivery WHERE reminder_key = ANY($1::text[]) AND status = 'PENDING' AND channel IN ('EMAIL', 'SMS')`,
            [refired],
          )),
        );
      }
      const due = current.filter((r) => r.status === 'SCHEDULED');
      if (due.length === 0) return;

      const deliveries = await this.plan(tx, due, now);
      const [written] = await sql<{
        made: Record<string, number> | null;
        in_app: string[] | null;
        external: Array<{ id: string; channel: string }> | null;
      }>(
        tx,
        `WITH planned AS (
           SELECT * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[], $10::uuid[])
             AS t(reminder_key, about_person_id, kind, staff_id, person_id, channel, idem, params, notify_staff_id)),
         ins AS (
           -- In-app notes are delivered by this very statement, so they are recorded as sent.
           INSERT INTO delivery (reminder_key, recipient_staff_id, recipient_person_id, channel, idempotency_key, status, sent_at, attempts)
           SELECT reminder_key, staff_id, person_id, channel, idem,
                  CASE WHEN notify_staff_id IS NULL THEN 'PENDING' ELSE 'SENT' END,
                  CASE WHEN notify_staff_id IS NULL THEN NULL ELSE now() END,
                  CASE WHEN notify_staff_id IS NULL THEN 0 ELSE 1 END
             FROM planned
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id, reminder_key, channel, idempotency_key),
         notified AS (
           INSERT INTO notification (recipient_staff_id, person_id, kind, params, delivery_id)
           SELECT p.notify_staff_id, p.about_person_id, p.kind, p.params, ins.id FROM ins JOIN planned p ON p.idem = ins.idempotency_key
            WHERE p.notify_staff_id IS NOT NULL
           RETURNING recipient_staff_id),
         fired AS (
           UPDATE reminder SET status = 'FIRED', fired_at = now(), updated_at = now() WHERE key = ANY($1::text[]) RETURNING key)
         SELECT (SELECT json_object_agg(reminder_key, n) FROM (SELECT reminder_key, count(*)::int AS n FROM ins GROUP BY reminder_key) c) AS made,
                (SELECT array_agg(recipient_staff_id) FROM notified) AS in_app,
                (SELECT json_agg(json_build_object('id', id, 'channel', channel)) FROM ins WHERE channel IN ('EMAIL', 'SMS')) AS external,
                (SELECT count(*) FROM fired) AS fired`,
        [
          due.map((r) => r.key),
          deliveries.map((d) => d.occurrence.key),
          deliveries.map((d) => d.occurrence.person_id),
          deliveries.map((d) => d.occurrence.rule),
          deliveries.map((d) => ('staffId' in d.recipient ? d.recipient.staffId : null)),
          deliveries.map((d) => ('personId' in d.recipient ? d.recipient.personId : null)),
          deliveries.map((d) => d.channel),
          deliveries.map((d) => idempotencyKey(d.occurrence.key, d.recipient, d.channel)),
          deliveries.map((d) => (d.inAppParams ? JSON.stringify(d.inAppParams) : null)),
          deliveries.map((d) => d.notifyStaffId),
        ],
      );
      for (const r of due) made.set(reminderJobId(r.ref, r.generation), written.made?.[r.key] ?? 0);
      // Nobody to tell (no coordinator, no member left): said where operators look; rules and keys name no person.
      const unheard = due.filter((r) => !written.made?.[r.key]);
      if (unheard.length)
        this.logger.warn(
          `${unheard.length} reminder(s) fell due with nobody to tell: ${[...new Set(unheard.map((r) => r.rule))].join(', ')}`,
        );
      inApp.push(...(written.in_app ?? []));
      // The e-mails made here go together in batches; SMS one job each.
      for (const d of written.external ?? []) {
        if (d.channel === DeliveryChannel.EMAIL) emails.push(d.id);
        else external.push(d);
      }
    });
    // After the commit, so that no job runs before its row is visible.
    await this.scheduler.apply(changes, now);
    await this.scheduler.enqueueDeliveries(external);
    await this.scheduler.enqueueEmailBatches(emails);
    if (inApp.length) await this.notifications.announce(inApp);
    return made;
  }

  /**
   * Fires every occurrence still scheduled and due by `upTo` (a due moment's job): read in one statement, fired
   * in transactions of FIRE_BATCH, FIRE_PARALLEL at a time, until none is left. A transaction that fails is fired
   * again one occurrence at a time; an occurrence that fails on its own gets a job of its own (with its retries),
   * so one bad occurrence never holds up the rest. Returns how many occurrences it fired, and whether it got to
   * the end (`stopping`, a worker shutting down, ends it between transactions).
   */
  async fireDue(upTo: Date, stopping: () => boolean = () => false): Promise<{ fired: number; done: boolean }> {
    let fired = 0;
    const failed = new Set<string>();
    for (;;) {
      const rows = await sql<{ ref: string; generation: number }>(
        this.db,
        `SELECT job_ref AS ref, generation FROM reminder
          WHERE status = 'SCHEDULED' AND due_at <= $1 AND NOT (job_ref = ANY($2::uuid[]))
          ORDER BY due_at, key LIMIT $3`,
        [upTo, [...failed], FIRE_BATCH * FIRE_PARALLEL * 10],
      );
      if (rows.length === 0) return { fired, done: true };
      const batches: Array<typeof rows> = [];
      for (let i = 0; i < rows.length; i += FIRE_BATCH) batches.push(rows.slice(i, i + FIRE_BATCH));
      let round = 0;
      const fireBatch = async (batch: typeof rows): Promise<void> => {
        try {
          const made = await this.fireMany(batch);
          round += [...made.values()].filter((n) => n !== null).length;
          return;
        } catch {
          // One at a time below, to find the occurrence that fails.
        }
        for (const o of batch) {
          try {
            const made = await this.fireMany([o]);
            if (made.get(reminderJobId(o.ref, o.generation)) !== null) round += 1;
          } catch (error) {
            failed.add(o.ref);
            this.logger.warn(`A due reminder could not be fired, left to a job of its own: ${describeError(error)}`);
            await this.scheduler.handOver([o]);
          }
        }
      };
      let next = 0;
      await Promise.all(
        Array.from({ length: FIRE_PARALLEL }, async () => {
          while (next < batches.length && !stopping()) await fireBatch(batches[next++]);
        }),
      );
      fired += round;
      if (stopping()) return { fired, done: false };
      // Nothing fired although some were read: changed meanwhile (the next read sees how); never loop on them.
      if (round === 0 && failed.size === 0) return { fired, done: true };
    }
  }

  /** Which deliveries occurrences make: in-app for all staff, e-mail and SMS by preference, the person by their channel. */
  private async plan(tx: EntityManager, due: DueRow[], now: Date): Promise<PlannedDelivery[]> {
    const staffByKey = await staffRecipientsOf(
      tx,
      due.map((r) => ({ key: r.key, rule: r.rule, personId: r.person_id, subjectId: r.subject_id })),
      now,
    );
    const subjects = await this.subjects(
      tx,
      due.map((r) => ({ rule: r.rule, subjectId: r.subject_id })),
    );
    const out: PlannedDelivery[] = [];
    for (const occurrence of due) {
      const subject = subjects.get(occurrence.subject_id) ?? NO_SUBJECT;
      const planned = (
        recipient: Recipient,
        channel: DeliveryChannel,
        inAppParams: NotificationParams | null = null,
        notifyStaffId: string | null = null,
      ) => out.push({ occurrence, recipient, channel, inAppParams, notifyStaffId });
      const about: NotificationParams = {
        ...(subject.date ? { date: subject.date } : {}),
        ...(subject.startsAt ? { startsAt: subject.startsAt.toISOString() } : {}),
      };
      for (const s of staffByKey.get(occurrence.key) ?? []) {
        const recipient = { staffId: s.staffId };
        planned(recipient, DeliveryChannel.IN_APP, about, s.staffId);
        if (this.email.enabled && s.hasEmail && s.wantsEmail !== false) planned(recipient, DeliveryChannel.EMAIL);
        if (this.sms.enabled && s.hasPhone && s.wantsSms === true) planned(recipient, DeliveryChannel.SMS);
      }
      if (subject.invitePerson && subject.startsAt && subject.location) {
        const recipient = { personId: occurrence.person_id };
        if (this.sms.enabled && subject.personChannel === ContactChannel.SMS && subject.personHasPhone) {
          planned(recipient, DeliveryChannel.SMS);
        } else if (subject.plannedBy && occurrence.rule !== ReminderRule.MEETING_IN_2_HOURS) {
          // A note is printed and handed over: two hours before the meeting is too late for that. A protected
          // person's place is left out for staff not authorised for it (they would read it in their inbox).
          const note = personMeetingText(occurrence.rule, subject.personLocale, {
            startsAt: subject.startsAt,
            location: subject.placeOnNote ? subject.location : null,
            ...subject.people,
          });
          planned(recipient, DeliveryChannel.PRINTED_NOTE, { ...about, appointmentNote: note }, subject.plannedBy);
        }
      }
    }
    return out;
  }

  /**
   * What occurrences are about, by subject id: one statement for each kind of subject among them (none
   * for the legal checks and no contact, which name no date).
   */
  private async subjects(
    tx: EntityManager,
    items: ReadonlyArray<{ rule: ReminderRule; subjectId: string }>,
  ): Promise<Map<string, Subject>> {
    const ids = (prefix: string) => [
      ...new Set(items.filter((i) => i.rule.startsWith(prefix)).map((i) => i.subjectId)),
    ];
    const out = new Map<string, Subject>();
    const followUps = ids('FOLLOW_UP');
    if (followUps.length) {
      const rows = await sql<{ id: string; date: string | null }>(
        tx,
        `SELECT id, follow_up_on::text AS date FROM sip_plan WHERE id = ANY($1::uuid[])`,
        [followUps],
      );
      for (const r of rows) out.set(r.id, { ...NO_SUBJECT, date: r.date });
    }
    const consents = ids('CONSENT');
    if (consents.length) {
      // The plan's own consent dates, or a recorded consent.
      const rows = await sql<{ id: string; date: string | null }>(
        tx,
        `SELECT u.id, coalesce((SELECT consent_valid_until FROM sip_plan WHERE id = u.id), (SELECT valid_to FROM consent WHERE id = u.id))::text AS date
           FROM unnest($1::uuid[]) AS u(id)`,
        [consents],
      );
      for (const r of rows) out.set(r.id, { ...NO_SUBJECT, date: r.date });
    }
    const meetings = ids('MEETING');
    if (meetings.length) {
      const rows = await sql<MeetingSubjectRow>(
        tx,
        // The note goes to whoever planned the meeting; if they have left, to the person's coordinator.
        `SELECT m.id, m.starts_at, m.location, m.invite_person, p.preferred_contact_channel, p.phone IS NOT NULL AS has_phone, p.preferred_language,
                p.protected_identity, n.id AS note_to, n.whereabouts_authorised AND NOT n.auditor AS note_to_authorised,
                n.given_name || ' ' || n.family_name AS contact_name, n.phone AS contact_phone,
                ARRAY(SELECT s.given_name FROM sip_meeting_participant mp JOIN staff_member s ON s.id = mp.staff_id
                       WHERE mp.meeting_id = m.id ORDER BY s.given_name) AS participant_names
           FROM sip_meeting m JOIN person p ON p.id = m.person_id
           JOIN staff_member planner ON planner.id = m.created_by
           LEFT JOIN collaboration_group g ON g.person_id = m.person_id
           LEFT JOIN staff_member n ON n.id = CASE WHEN planner.active THEN m.created_by ELSE g.coordinator_staff_id END
          WHERE m.id = ANY($1::uuid[])`,
        [meetings],
      );
      for (const m of rows) {
        out.set(m.id, {
          date: null,
          startsAt: new Date(m.starts_at),
          location: m.location,
          plannedBy: m.note_to,
          // The rule of hideWhereabouts, with the authorisation AccessPolicy.maySeeProtectedWhereabouts gives.
          placeOnNote: !whereaboutsHidden({ protectedIdentity: m.protected_identity }, Boolean(m.note_to_authorised)),
          invitePerson: m.invite_person,
          personChannel: m.preferred_contact_channel,
          personHasPhone: m.has_phone,
          personLocale: asLocale(m.preferred_language),
          people: {
            contact: m.contact_name ? { name: m.contact_name, phone: m.contact_phone } : null,
            participants: m.participant_names ?? [],
          },
        });
      }
    }
    const proposals = ids('VOTES');
    if (proposals.length) {
      const rows = await sql<{ id: string; deadline: Date }>(
        tx,
        `SELECT id, deadline FROM proposal WHERE id = ANY($1::uuid[])`,
        [proposals],
      );
      for (const r of rows) out.set(r.id, { ...NO_SUBJECT, startsAt: new Date(r.deadline) });
    }
    return out;
  }

  /**
   * Sends the e-mails of one firing, together: each over the pooled SMTP connections (at most
   * EMAIL_SENDS_IN_FLIGHT at a time in this process), and recorded as sent as soon as the server has accepted it,
   * with the others that finished meanwhile (one statement for them all). One that quiet hours hold, that fails,
   * or that has waited longer than a batch may send (EMAIL_BATCH_WINDOW_S), gets a job of its own (`deliveryJobId`:
   * the sweep's, so never two), which retries it with backoff and records a failure. A crash between a send and its record sends it
   * again on retry, with the same Message-ID. When `stopping` (a worker shutting down), the sends under way end
   * and are recorded, and the rest are handed over the same way.
   */
  async sendEmails(
    deliveryIds: string[],
    stopping: () => boolean = () => false,
    now = new Date(),
  ): Promise<{ sent: number; handedOver: number }> {
    const rows = await sql<DeliveryToSend>(
      this.db,
      `${DELIVERY_TO_SEND_SQL} WHERE d.id = ANY($1::uuid[]) AND d.status = 'PENDING' AND d.channel = 'EMAIL'`,
      [deliveryIds],
    );
    const handOver: Array<{ id: string; channel: string }> = [];
    let sent = 0;
    const link = `${this.config.APP_URL.replace(/\/$/, '')}/notifications`;
    await Promise.all(
      rows.map(async (d) => {
        if (!d.fresh || this.quietHoursHold(d, now)) return handOver.push(d);
        await this.emailSends.use(async () => {
          if (stopping()) return handOver.push(d);
          try {
            await this.email.send({
              to: d.staff_email,
              ...staffEmail(d.rule, asLocale(d.locale), link),
              idempotencyKey: d.idempotency_key,
            });
          } catch {
            return handOver.push(d);
          }
          await this.sentEmails.run(d.id);
          sent += 1;
        });
      }),
    );
    await this.scheduler.enqueueDeliveries(handOver.map((d) => ({ id: d.id, channel: d.channel })));
    return { sent, handedOver: handOver.length };
  }

  /** When quiet hours hold a staff member's non-urgent message: until they end; null when it may go now. */
  private quietHoursHold(d: DeliveryToSend, now: Date): Date | null {
    if (!d.recipient_staff_id || URGENT_RULES.has(d.rule)) return null;
    return quietUntil(d.quiet_from ? { from: d.quiet_from.slice(0, 5), to: d.quiet_to!.slice(0, 5) } : null, now);
  }

  /**
   * Sends one e-mail or SMS delivery. The send is recorded after the channel has accepted it; a crash
   * in between sends it again on retry, with the same idempotency key (losing it would be worse).
   */
  async send(deliveryId: string, attempt: { number: number; last: boolean }, now = new Date()): Promise<SendOutcome> {
    const [d] = await sql<DeliveryToSend>(this.db, `${DELIVERY_TO_SEND_SQL} WHERE d.id = $1`, [deliveryId]);
    if (!d || d.status !== 'PENDING') return { sent: false, reason: 'not-pending' };
    const until = this.quietHoursHold(d, now);
    if (until) return { sent: false, reason: 'quiet-hours', until };
    const deliver = () => this.sendOne(d, attempt);
    return d.channel === DeliveryChannel.EMAIL ? this.emailSends.use(deliver) : deliver();
  }

  private async sendOne(d: DeliveryToSend, attempt: { number: number; last: boolean }): Promise<SendOutcome> {
    const rule = d.rule;
    const locale: Locale = asLocale(d.locale);
    const link = `${this.config.APP_URL.replace(/\/$/, '')}/notifications`;
    try {
      if (d.channel === DeliveryChannel.EMAIL) {
        await this.email.send({
          to: d.staff_email,
          ...staffEmail(rule, locale, link),
          idempotencyKey: d.idempotency_key,
        });
      } else if (d.recipient_staff_id) {
        await this.sms.send({ to: d.phone, text: staffSms(rule, locale, link), idempotencyKey: d.idempotency_key });
      } else {
        const subject = (await this.subjects(this.db.manager, [{ rule, subjectId: d.subject_id }])).get(d.subject_id);
        if (!subject?.startsAt || !subject.location) throw new Error('The meeting is gone');
        await this.sms.send({
          to: d.phone,
          text: personMeetingText(rule, subject.personLocale, {
            startsAt: subject.startsAt,
            location: subject.location,
            ...subject.people,
          }),
          idempotencyKey: d.idempotency_key,
        });
      }
    } catch (error) {
      // The class (or SMTP/HTTP code) only: an error message may quote an address or a phone number,
      // and BullMQ stores the message of the error a job throws in Redis.
      const code =
        error instanceof Error
          ? `${error.name}${(error as { responseCode?: number; status?: number }).responseCode ?? (error as { status?: number }).status ?? ''}`
          : 'Error';
      if (attempt.last) {
        await sql(
          this.db,
          `UPDATE delivery SET status = 'FAILED', failed_at = now(), last_error = $2, attempts = $3 WHERE id = $1 AND status = 'PENDING'`,
          [d.id, code, attempt.number],
        );
      }
      throw new DeliveryFailedError(code);
    }
    // The attempt count is BullMQ's (it survives a worker's death); recorded with the outcome.
    await sql(
      this.db,
      `UPDATE delivery SET status = 'SENT', sent_at = now(), attempts = $2 WHERE id = $1 AND status = 'PENDING'`,
      [d.id, attempt.number],
    );
    return { sent: true };
  }

  /**
   * Sends a failed e-mail or SMS again (an administrator, once the cause is fixed): a new delivery of the same
   * occurrence to the same recipient, naming the failed one (which stays as it was, a record), with its own
   * idempotency key (the receiver saw the first as failed) and a new job with new attempts.
   */
  async retryFailedDelivery(id: string, by: string): Promise<{ id: string }> {
    const retried = await this.db.transaction(async (tx) => {
      const [failed] = await sql<{ id: string; status: string; channel: string; idempotency_key: string }>(
        tx,
        `SELECT id, status, channel, idempotency_key FROM delivery WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!failed) throw DomainError.notFound('delivery');
      const [already] = await sql<object>(tx, `SELECT 1 FROM delivery WHERE retry_of = $1`, [id]);
      if (failed.status !== 'FAILED' || already)
        throw DomainError.invalidState(
          'Only a delivery that failed, and was not sent again yet, is sent again',
          DomainErrorReason.DELIVERY_NOT_FAILED,
        );
      const key = createHash('sha256').update(`${failed.idempotency_key}|retry`).digest('hex').slice(0, 40);
      const [row] = await sql<{ id: string; channel: string }>(
        tx,
        `INSERT INTO delivery (reminder_key, recipient_staff_id, recipient_person_id, channel, idempotency_key, retry_of, retried_by)
         SELECT reminder_key, recipient_staff_id, recipient_person_id, channel, $2, id, $3 FROM delivery WHERE id = $1 RETURNING id, channel`,
        [id, key, by],
      );
      return row;
    });
    // After the commit; a crash in between is caught by the sweep, which re-queues pending deliveries.
    await this.scheduler.enqueueDeliveries([retried]);
    return { id: retried.id };
  }

  /** Deliveries that gave up, newest first, for administrators (ids and codes only). */
  failedDeliveries(limit = 100): Promise<FailedDelivery[]> {
    return sql<FailedDelivery>(
      this.db,
      `SELECT d.id, d.channel, r.rule, d.reminder_key, d.recipient_staff_id, d.recipient_person_id, d.attempts, d.last_error, d.failed_at
         FROM delivery d JOIN reminder r ON r.key = d.reminder_key
        WHERE d.status = 'FAILED' AND NOT EXISTS (SELECT 1 FROM delivery again WHERE again.retry_of = d.id)
        ORDER BY d.failed_at DESC LIMIT $1`,
      [limit],
    );
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: string }).code;
  return `${error.name}${code ? ` (${code})` : ''}`;
}
