import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Clock, JobName, JobQueue } from '@samverka/infrastructure';
import { WebhookAudience } from './webhook-audience';
import { webhookRetryDelayMs } from './webhook-endpoint.rules';
import { WebhookDeliveryStatus, WebhookEventKind, webhookEventType, WebhookStopReason } from './webhook.enums';
import { sql } from '../database/sql';

export type WebhookAttemptOutcome =
  | { outcome: 'settled' }
  | { outcome: 'stopped'; reason: WebhookStopReason }
  | { outcome: 'delivered' | 'retry' | 'failed'; number: number; statusCode: number | null; error: string | null };

/** What one attempt reads of its delivery, event and subscription. */
interface AttemptRow {
  status: WebhookDeliveryStatus;
  attempts: number;
  eventId: string;
  kind: WebhookEventKind;
  personId: string;
  data: unknown;
  occurredAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  subscriptionActive: boolean;
  clientId: string;
}

const EVENTS_PER_PASS = 200;

/**
 * Turns webhook events into deliveries and sends them (the worker runs this; the API only reads).
 *
 * - `fanOut`: each event not yet fanned out gets one delivery per active subscription of its kind whose
 *   client may see the person (WebhookAudience, the shared rule), made in one transaction with the event's
 *   mark, unique per (event, subscription); the jobs (id = delivery id) are added after the commit.
 * - `attempt`: one attempt, signed per Standard Webhooks (webhook-id = the event id, the same in every
 *   attempt), after asking the rule again; the attempt is recorded whatever happens.
 * - `requeueOverdue`: hands BullMQ again the pending deliveries well past their next attempt (a crash
 *   between a commit and its enqueue, a Redis that lost its data).
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly audience: WebhookAudience,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    /** The signing time and the attempts' times: the application's clock, so a test can set it. */
    private readonly clock: Clock,
  ) {}

  /** Fans out every pending event; returns the deliveries made. */
  async fanOut(): Promise<number> {
    let made = 0;
    for (;;) {
      const ids = await this.db.transaction(async (tx) => {
        const events = await sql<{ id: string; kind: WebhookEventKind; personId: string }>(
          tx,
          `SELECT id, kind, person_id AS "personId" FROM webhook_event WHERE fanned_out_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [EVENTS_PER_PASS],
        );
        if (events.length === 0) return null;
        const subscriptions = await sql<{ id: string; clientId: string; eventKinds: WebhookEventKind[] }>(
          tx,
          `SELECT s.id, s.client_id AS "clientId", s.event_kinds AS "eventKinds"
             FROM webhook_subscription s JOIN staff_member c ON c.id = s.client_id AND c.active
            WHERE s.active AND s.event_kinds && $1::text[]`,
          [[...new Set(events.map((e) => e.kind))]],
        );
        const pairs: Array<[string, string]> = [];
        if (subscriptions.length) {
          // Each client is asked only about the persons of the events it wants (the answer is access-logged).
          const wanted = new Map<string, Set<string>>();
          for (const s of subscriptions) {
            for (const e of events)
              if (s.eventKinds.includes(e.kind))
                wanted.set(s.clientId, (wanted.get(s.clientId) ?? new Set()).add(e.personId));
          }
          const visible = new Map<string, Set<string>>();
          for (const [clientId, persons] of wanted)
            visible.set(clientId, (await this.audience.visible([clientId], [...persons])).get(clientId) ?? new Set());
          for (const event of events) {
            for (const s of subscriptions) {
              if (s.eventKinds.includes(event.kind) && visible.get(s.clientId)?.has(event.personId))
                pairs.push([event.id, s.id]);
            }
          }
        }
        const created: Array<{ id: string }> = pairs.length
          ? await sql<{ id: string }>(
              tx,
              `INSERT INTO webhook_delivery (event_id, subscription_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])
               ON CONFLICT (event_id, subscription_id) DO NOTHING RETURNING id`,
              [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
            )
          : [];
        await sql(tx, `UPDATE webhook_event SET fanned_out_at = now() WHERE id = ANY($1::uuid[])`, [
          events.map((e) => e.id),
        ]);
        return created.map((c) => c.id);
      });
      if (ids === null) return made;
      // After the commit: a job that ran before its row was visible would find nothing to send.
      await this.enqueue(ids);
      made += ids.length;
    }
  }

  /** One attempt at one delivery. `retry` means BullMQ should try again after its backoff. */
  async attempt(deliveryId: string): Promise<WebhookAttemptOutcome> {
    const [row] = await sql<AttemptRow>(
      this.db,
      `SELECT d.status, d.attempts, e.id AS "eventId", e.kind, e.person_id AS "personId", e.data, e.occurred_at AS "occurredAt",
              s.url, s.secret, CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS "previousSecret",
              s.active AND c.active AS "subscriptionActive", s.client_id AS "clientId"
         FROM webhook_delivery d
         JOIN webhook_event e ON e.id = d.event_id
         JOIN webhook_subscription s ON s.id = d.subscription_id
         JOIN staff_member c ON c.id = s.client_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || row.status !== WebhookDeliveryStatus.PENDING) return { outcome: 'settled' };
    if (!row.subscriptionActive) return this.stop(deliveryId, WebhookStopReason.SUBSCRIPTION_DISABLED);
    // Asked again at every attempt: a withdrawn consent or an ended relation stops what is still pending.
    const visible = await this.audience.visible([row.clientId], [row.personId]);
    if (!visible.get(row.clientId)?.has(row.personId)) return this.stop(deliveryId, WebhookStopReason.ACCESS_ENDED);

    const number = row.attempts + 1;
    const body = JSON.stringify({
      type: webhookEventType(row.kind),
      timestamp: new Date(row.occurredAt).toISOString(),
      data: row.data,
    });
    const now = this.clock.now();
    // While a rotated-out secret is in its grace period both sign (space-separated, as the specification allows).
    const signature = [row.secret, row.previousSecret]
      .filter((s): s is string => Boolean(s))
      .map((secret) => new Webhook(secret).sign(row.eventId, now, body))
      .join(' ');
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Samverka-Webhooks/1',
          'webhook-id': row.eventId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        // A redirect is an answer, not a delivery: the partner registers the URL that receives.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (e) {
      error = describeFailure(e);
    }
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const last = number >= this.config.WEBHOOK_ATTEMPTS;
    const status = delivered
      ? WebhookDeliveryStatus.DELIVERED
      : last
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;
    const nextAttemptAt = new Date(now.getTime() + webhookRetryDelayMs(number, this.config.WEBHOOK_BACKOFF_MS));
    await this.db.transaction(async (tx) => {
      await sql(
        tx,
        `INSERT INTO webhook_attempt (delivery_id, number, attempted_at, duration_ms, status_code, error) VALUES ($1, $2, $3, $4, $5, $6)`,
        [deliveryId, number, now, durationMs, statusCode, error],
      );
      await sql(
        tx,
        `UPDATE webhook_delivery SET attempts = attempts + 1, status = $2, next_attempt_at = $3, finished_at = CASE WHEN $2 <> 'PENDING' THEN now() END
          WHERE id = $1 AND status = 'PENDING'`,
        [deliveryId, status, nextAttemptAt],
      );
    });
    return { outcome: delivered ? 'delivered' : last ? 'failed' : 'retry', number, statusCode, error };
  }

  /** Hands BullMQ again every pending delivery more than `graceMs` past its next attempt (0: every pending one). */
  async requeueOverdue(graceMs = 120_000): Promise<number> {
    let total = 0;
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await sql<{ id: string }>(
        this.db,
        `SELECT id FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at < now() - make_interval(secs => $1::double precision / 1000) AND id > $2
          ORDER BY id LIMIT 2000`,
        [graceMs, after],
      );
      if (rows.length === 0) return total;
      await this.enqueue(rows.map((r) => r.id));
      total += rows.length;
      after = rows[rows.length - 1].id;
    }
  }

  private async stop(deliveryId: string, reason: WebhookStopReason): Promise<WebhookAttemptOutcome> {
    await sql(
      this.db,
      `UPDATE webhook_delivery SET status = 'STOPPED', stop_reason = $2, finished_at = now() WHERE id = $1 AND status = 'PENDING'`,
      [deliveryId, reason],
    );
    return { outcome: 'stopped', reason };
  }

  /** Job id = delivery id: adding one that BullMQ still holds (waiting, delayed for backoff, running) is a no-op. */
  private enqueue(deliveryIds: string[]): Promise<void> {
    return this.jobs.enqueueMany(
      JobName.DELIVER_WEBHOOK,
      deliveryIds.map((id) => ({ payload: { deliveryId: id }, jobId: id })),
    );
  }
}

/** The error's class or code (a refused connection, a timeout): never a message, which could quote anything. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'Error';
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown; name?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof own === 'string' ? own : null;
  return (code ?? (typeof cause?.name === 'string' && cause.name !== 'Error' ? cause.name : error.name)).slice(0, 100);
}
