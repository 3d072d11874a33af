import { Actor, isIntegrationClient } from '../actor';
import { DomainError } from '../errors/domain-error';

/** An integration client as the webhook rules need it: its service account and organisation. */
export interface WebhookClientRef {
  id: string;
  organisationId: string;
}

/**
 * Who manages an integration client's webhook subscriptions and reads its deliveries (the one rule, for
 * every operation on them): the client itself (its own only), the global administrator, and the
 * administrators of the client's organisation. Nobody else: care staff, auditors, other clients.
 */
export function mayManageWebhooksOf(actor: Actor, client: WebhookClientRef): boolean {
  if (isIntegrationClient(actor)) return actor.staffId === client.id;
  if (actor.administrator) return true;
  return Boolean(actor.organisationAdministrator && actor.organisationId === client.organisationId);
}

export function assertMayManageWebhooksOf(actor: Actor, client: WebhookClientRef): void {
  if (!mayManageWebhooksOf(actor, client)) {
    throw DomainError.forbidden(
      'Only the integration client itself or an administrator of its organisation manages its webhooks',
    );
  }
}

/**
 * Which clients' subscriptions a listing may show, as SQL over the client's staff row `alias` (its id and
 * organisation); refuses whoever may manage none. The same rule as `mayManageWebhooksOf`, for a set.
 */
export function webhookClientsVisibleSql(actor: Actor, alias: string, param: (value: unknown) => string): string {
  if (isIntegrationClient(actor)) return `${alias}.id = ${param(actor.staffId)}`;
  if (actor.administrator) return 'true';
  if (actor.organisationAdministrator) return `${alias}.organisation_id = ${param(actor.organisationId)}`;
  throw DomainError.forbidden('Only integration clients and administrators read webhook subscriptions');
}
