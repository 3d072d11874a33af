import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ReminderScheduler, WebhookDeliveryService, sql } from '@samverka/domain';
import { APP_CONFIG, AppConfig, boundedWait, Metrics, queuePrefix, redisConnection } from '@samverka/infrastructure';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobRunner } from './job-runner';

const TICK_MS = 1000;
const PERSONS_PER_PASS = 200;
const PARALLEL = 4;
/** How often occurrences and messages that should have gone are handed to BullMQ again. */
const SWEEP_MS = 30_000;

/**
 * Moves outbox rows into BullMQ: each person whose data changed has their reminders derived again
 * and the delayed jobs added or removed (ReminderScheduler.reconcile), in one transaction per person
 * so that one bad record never holds up the rest. Woken by NOTIFY from the outbox trigger, and polls
 * every second in case a notification was missed.
 *
 * It also fans webhook events out into deliveries (WebhookDeliveryService.fanOut), woken the same way.
 *
 * Every 30 seconds it hands BullMQ again whatever should have gone and has not (a crash between a commit
 * and its enqueue), webhook deliveries included. It also notices when Redis has lost its data (a sentinel key is gone: a flush, a restart without
 * persistence, a failover to an empty replica) and rebuilds every queue from PostgreSQL.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener?: Client;
  private redis?: Redis;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private again = false;
  private stopped = false;
  private lastSweep = 0;

  constructor(
    private readonly db: DataSource,
    private readonly scheduler: ReminderScheduler,
    private readonly runner: JobRunner,
    private readonly webhooks: WebhookDeliveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    // How far the relay is behind: the age of the oldest outbox row not yet moved into the queues.
    metrics.gaugeFromQuery(
      'samverka_outbox_relay_lag_seconds',
      'Age of the oldest outbox row the relay has not handled yet (0: none)',
      async () => {
        const [row] = await sql<{ lag: number }>(
          this.db,
          `SELECT coalesce(extract(epoch FROM now() - (SELECT created_at FROM outbox ORDER BY id LIMIT 1)), 0)::float8 AS lag`,
        );
        return row.lag;
      },
    );
  }

  private get sentinelKey(): string {
    // Beside the queues, under their hash tag. (Its name changed with the tag: an installation upgraded from
    // untagged queues finds it missing once and rebuilds the queues from PostgreSQL.)
    return `${queuePrefix(this.config)}:reminders:schedule-sentinel`;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis = redisConnection(this.config);
    await this.listen();
    this.timer = setInterval(() => this.kick(), TICK_MS);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // A pass stops between persons once `stopped` is set; a long one is not waited for past the grace period.
    const idle = (async () => {
      while (this.busy) await new Promise((r) => setTimeout(r, 20));
    })();
    await boundedWait(idle, this.config.SHUTDOWN_GRACE_MS, undefined);
    await this.listener?.end().catch(() => undefined);
    this.redis?.disconnect();
  }

  /** Runs a pass now, or right after the one in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.pass()
      .catch((error: unknown) => this.logger.warn(`Relay pass failed, retrying: ${describe(error)}`))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One pass: rebuild if Redis forgot, then drain the outbox. Returns the persons reconciled. */
  async pass(): Promise<number> {
    await this.ensureQueuesHoldTheSchedule();
    if (Date.now() - this.lastSweep > SWEEP_MS) {
      const requeued = await this.scheduler.requeueOverdue();
      this.lastSweep = Date.now();
      const webhooks = await this.webhooks.requeueOverdue();
      if (requeued.reminders || requeued.deliveries || webhooks) {
        this.logger.log({
          event: 'relay.requeued',
          reminders: requeued.reminders,
          deliveries: requeued.deliveries,
          webhooks,
          msg: `Sweep: ${requeued.reminders} overdue reminders, ${requeued.deliveries} unsent messages and ${webhooks} webhook deliveries handed to the queues again`,
        });
      }
    }
    // Webhook events (same NOTIFY channel): each one's deliveries made and handed to BullMQ.
    // A failure here (kept for the next pass) must not hold up the reminders.
    await this.webhooks.fanOut().catch((error: unknown) =>
      this.logger.warn({
        event: 'webhooks.fan-out-failed',
        msg: `Webhook fan-out failed, retrying: ${describe(error)}`,
      }),
    );
    let total = 0;
    const failed = new Set<string>();
    for (;;) {
      const rows = await sql<{ ref: string }>(
        this.db,
        `SELECT ref FROM outbox WHERE topic = 'reconcile' AND NOT (ref = ANY($1::uuid[])) GROUP BY ref ORDER BY min(id) LIMIT $2`,
        [[...failed], PERSONS_PER_PASS],
      );
      if (rows.length === 0 || this.stopped) return total;
      for (let i = 0; i < rows.length; i += PARALLEL) {
        await Promise.all(
          rows.slice(i, i + PARALLEL).map(({ ref }) =>
            this.db
              .transaction((tx) => this.scheduler.reconcile(tx, ref))
              .then((changes) => this.scheduler.apply(changes))
              .catch((error: unknown) => {
                failed.add(ref);
                this.logger.warn(`Could not derive reminders for one person (kept for retry): ${describe(error)}`);
              }),
          ),
        );
      }
      total += rows.length;
    }
  }

  private async ensureQueuesHoldTheSchedule(): Promise<void> {
    if (!this.redis || (await this.redis.exists(this.sentinelKey))) return;
    const started = Date.now();
    await this.runner.upsertSchedulers();
    const rebuilt = await this.scheduler.rebuildQueues();
    await this.webhooks.requeueOverdue(0);
    await this.redis.set(this.sentinelKey, new Date().toISOString());
    this.logger.log({
      event: 'queues.rebuilt',
      reminders: rebuilt.reminders,
      deliveries: rebuilt.deliveries,
      ms: Date.now() - started,
      msg: `Queues rebuilt from PostgreSQL: ${rebuilt.reminders} scheduled reminders, ${rebuilt.deliveries} unsent messages (${Date.now() - started} ms)`,
    });
  }

  private async listen(): Promise<void> {
    // LISTEN holds a session: behind PgBouncer in transaction mode it needs the direct connection.
    const client = new Client({
      connectionString: this.config.DATABASE_DIRECT_URL ?? this.config.DATABASE_URL,
      application_name: 'samverka-relay',
    });
    client.on('notification', () => this.kick());
    client.on('error', () => {
      // Polling carries on; listen again shortly.
      this.listener = undefined;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), TICK_MS);
    });
    await client.connect();
    await sql(client, 'LISTEN samverka_outbox');
    this.listener = client;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: string }).code;
  return `${error.name}${code ? ` (${code})` : ''}`;
}
