import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, isIntegrationClient } from '../actor';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, Page, PageRequest, toPage } from '../pagination/page';
import { newWebhookSecret, validateWebhookUrl } from './webhook-endpoint.rules';
import { WebhookDeliveryStatus, WebhookEventKind, WebhookStopReason } from './webhook.enums';
import { assertMayManageWebhooksOf, WebhookClientRef, webhookClientsVisibleSql } from './webhook.policy';
import { sql } from '../database/sql';

export interface WebhookSubscriptionView {
  id: string;
  clientId: string;
  clientName: string;
  organisationId: string;
  url: string;
  eventKinds: WebhookEventKind[];
  active: boolean;
  createdAt: Date;
  secretRotatedAt: Date | null;
  disabledAt: Date | null;
}

export interface WebhookAttemptView {
  number: number;
  attemptedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  subscriptionId: string;
  /** The `webhook-id` header: the event's id, the same in every attempt and for every subscription. */
  eventId: string;
  eventKind: WebhookEventKind;
  occurredAt: Date;
  status: WebhookDeliveryStatus;
  stopReason: WebhookStopReason | null;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  attempts: WebhookAttemptView[];
}

/** How long a rotated-out secret still signs beside the new one, so the partner can switch without a gap. */
export const PREVIOUS_SECRET_GRACE = '24 hours';

const SUBSCRIPTION_COLUMNS = `s.id, s.client_id AS "clientId", c.given_name AS "clientName", c.organisation_id AS "organisationId", s.url,
  s.event_kinds AS "eventKinds", s.active, s.created_at AS "createdAt", s.secret_rotated_at AS "secretRotatedAt", s.disabled_at AS "disabledAt"`;

/** Integration clients' webhook subscriptions: created, rotated and disabled by the client or its organisation's administrators. */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Subscribes a client (the caller itself when it is a client and names none); the secret is returned here only. */
  async create(
    actor: Actor,
    input: { clientId?: string | null; url: string; eventKinds: WebhookEventKind[] },
  ): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
    const clientId = input.clientId ?? (isIntegrationClient(actor) ? actor.staffId : null);
    if (!clientId) throw DomainError.invalid('clientId', 'Name the integration client to subscribe');
    const kinds = [...new Set(input.eventKinds)];
    if (kinds.length === 0) throw DomainError.invalid('eventKinds', 'Choose at least one kind of event');
    const url = validateWebhookUrl(input.url, this.config.NODE_ENV === 'production');
    return this.db.transaction(async (tx) => {
      const client = await this.client(tx, clientId);
      assertMayManageWebhooksOf(actor, client);
      if (!client.active) throw DomainError.invalidState('A revoked integration client cannot subscribe');
      const secret = newWebhookSecret();
      const [{ id }] = await sql<{ id: string }>(
        tx,
        `INSERT INTO webhook_subscription (client_id, url, event_kinds, secret, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [client.id, url, kinds, secret, actor.staffId],
      );
      return { subscription: await this.view(tx, id), secret };
    });
  }

  /** A new secret, shown once; the old one signs beside it for PREVIOUS_SECRET_GRACE. */
  async rotateSecret(actor: Actor, id: string): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
    return this.db.transaction(async (tx) => {
      await this.lockManaged(tx, actor, id);
      const secret = newWebhookSecret();
      await sql(
        tx,
        `UPDATE webhook_subscription SET previous_secret = secret, previous_secret_until = now() + interval '${PREVIOUS_SECRET_GRACE}', secret = $2, secret_rotated_at = now()
          WHERE id = $1`,
        [id, secret],
      );
      return { subscription: await this.view(tx, id), secret };
    });
  }

  /** Stops the subscription for good: nothing more is made for it, and its pending deliveries stop at their next attempt. Idempotent. */
  async disable(actor: Actor, id: string): Promise<WebhookSubscriptionView> {
    return this.db.transaction(async (tx) => {
      await this.lockManaged(tx, actor, id);
      await sql(
        tx,
        `UPDATE webhook_subscription SET active = false, disabled_at = now(), disabled_by = $2 WHERE id = $1 AND active`,
        [id, actor.staffId],
      );
      return this.view(tx, id);
    });
  }

  /** The subscriptions the caller manages (optionally one client's), newest first. */
  async list(actor: Actor, filter: { clientId?: string | null } = {}): Promise<WebhookSubscriptionView[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const visible = webhookClientsVisibleSql(actor, 'c', param);
    const byClient = filter.clientId ? `AND s.client_id = ${param(filter.clientId)}` : '';
    return sql<WebhookSubscriptionView>(
      this.db,
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription s JOIN staff_member c ON c.id = s.client_id WHERE ${visible} ${byClient} ORDER BY s.created_at DESC, s.id LIMIT 500`,
      params,
    );
  }

  /**
   * Deliveries of the subscriptions the caller manages, newest first, each with every attempt. Two
   * statements for a page, however many deliveries and attempts it holds.
   */
  async deliveries(
    actor: Actor,
    filter: { subscriptionId?: string | null; status?: WebhookDeliveryStatus | null },
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryView>> {
    const first = Math.min(Math.max(page.first, 1), MAX_PAGE_SIZE);
    const after = decodeCursor(page.after, 'moment');
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions = [webhookClientsVisibleSql(actor, 'c', param)];
    if (filter.subscriptionId) conditions.push(`d.subscription_id = ${param(filter.subscriptionId)}`);
    if (filter.status) conditions.push(`d.status = ${param(filter.status)}`);
    if (after)
      conditions.push(`(d.created_at, d.id) < (${param(after.sortKey)}::timestamptz, ${param(after.id)}::uuid)`);
    const rows = await sql<Omit<WebhookDeliveryView, 'attempts'>>(
      this.db,
      `SELECT d.id, d.subscription_id AS "subscriptionId", d.event_id AS "eventId", e.kind AS "eventKind", e.occurred_at AS "occurredAt", d.status,
              d.stop_reason AS "stopReason", d.attempts AS "attemptCount", CASE WHEN d.status = 'PENDING' THEN d.next_attempt_at END AS "nextAttemptAt",
              d.created_at AS "createdAt", d.finished_at AS "finishedAt"
         FROM webhook_delivery d
         JOIN webhook_subscription s ON s.id = d.subscription_id
         JOIN staff_member c ON c.id = s.client_id
         JOIN webhook_event e ON e.id = d.event_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT ${param(first + 1)}`,
      params,
    );
    const attempts: Array<WebhookAttemptView & { deliveryId: string }> = rows.length
      ? await sql<WebhookAttemptView & { deliveryId: string }>(
          this.db,
          `SELECT delivery_id AS "deliveryId", number, attempted_at AS "attemptedAt", duration_ms AS "durationMs", status_code AS "statusCode", error
             FROM webhook_attempt WHERE delivery_id = ANY($1::uuid[]) ORDER BY id`,
          [rows.map((r) => r.id)],
        )
      : [];
    const byDelivery = new Map<string, WebhookAttemptView[]>();
    for (const { deliveryId, ...attempt } of attempts)
      byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), attempt]);
    const views = rows.map((r) => ({ ...r, attempts: byDelivery.get(r.id) ?? [] }));
    return toPage(views, { first, after: page.after }, (d) => encodeCursor(new Date(d.createdAt).toISOString(), d.id));
  }

  private async client(tx: EntityManager, clientId: string): Promise<WebhookClientRef & { active: boolean }> {
    const [client] = await sql<WebhookClientRef & { active: boolean }>(
      tx,
      `SELECT id, organisation_id AS "organisationId", active FROM staff_member WHERE id = $1 AND service_account`,
      [clientId],
    );
    if (!client) throw DomainError.notFound('integration client');
    return client;
  }

  /** Locks the subscription after checking the caller manages its client; the same answer for "none" and "not yours" to another client. */
  private async lockManaged(tx: EntityManager, actor: Actor, id: string): Promise<void> {
    const [row] = await sql<WebhookClientRef>(
      tx,
      `SELECT c.id, c.organisation_id AS "organisationId" FROM webhook_subscription s JOIN staff_member c ON c.id = s.client_id WHERE s.id = $1 FOR UPDATE OF s`,
      [id],
    );
    if (!row) throw DomainError.notFound('webhook subscription');
    if (isIntegrationClient(actor) && actor.staffId !== row.id) throw DomainError.notFound('webhook subscription');
    assertMayManageWebhooksOf(actor, row);
  }

  private async view(tx: EntityManager, id: string): Promise<WebhookSubscriptionView> {
    const [row] = await sql<WebhookSubscriptionView>(
      tx,
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription s JOIN staff_member c ON c.id = s.client_id WHERE s.id = $1`,
      [id],
    );
    return row;
  }
}
