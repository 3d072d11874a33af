/** What a partner can subscribe to: each is written by a database trigger in the same transaction as the change. */
export enum WebhookEventKind {
  PLAN_ADOPTED = 'PLAN_ADOPTED',
  MEETING_PLANNED = 'MEETING_PLANNED',
  MEETING_MOVED = 'MEETING_MOVED',
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  PROPOSAL_OPENED = 'PROPOSAL_OPENED',
  PROPOSAL_CLOSED = 'PROPOSAL_CLOSED',
  DISCHARGE_EXECUTED = 'DISCHARGE_EXECUTED',
  DISCHARGE_REFUSED = 'DISCHARGE_REFUSED',
  MEMBERSHIP_CHANGED = 'MEMBERSHIP_CHANGED',
  CONSENT_RECORDED = 'CONSENT_RECORDED',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
}

export enum WebhookDeliveryStatus {
  /** Not yet received by the endpoint; retried with backoff. */
  PENDING = 'PENDING',
  /** The endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** Every attempt failed. */
  FAILED = 'FAILED',
  /** Not sent (again): the client may no longer see the person, or the subscription was disabled. */
  STOPPED = 'STOPPED',
}

export enum WebhookStopReason {
  ACCESS_ENDED = 'ACCESS_ENDED',
  SUBSCRIPTION_DISABLED = 'SUBSCRIPTION_DISABLED',
}

/** The payload's `type`: `plan.adopted`, `meeting.moved`, `consent.withdrawn`… (Standard Webhooks' dotted style). */
export function webhookEventType(kind: WebhookEventKind): string {
  return kind.toLowerCase().replace('_', '.');
}
