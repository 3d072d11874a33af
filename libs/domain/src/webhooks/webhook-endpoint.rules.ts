import { randomBytes } from 'node:crypto';
import { DomainError, DomainErrorReason } from '../errors/domain-error';

/** Hosts that are this machine: plain http to them is for development and tests, never production. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A webhook endpoint: an absolute https URL without credentials; outside production http to this machine
 * (localhost, 127.0.0.1, [::1]) is allowed too, for development and tests. Returns the URL as normalised.
 */
export function validateWebhookUrl(value: string, production: boolean, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw DomainError.invalid(field, 'Give an absolute URL, e.g. https://partner.example/webhooks');
  }
  if (url.username || url.password) throw DomainError.invalid(field, 'The URL must not carry a user name or password');
  if (url.hash) throw DomainError.invalid(field, 'The URL must not have a fragment (#)');
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname) && !production;
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw DomainError.invalid(
      field,
      production
        ? 'Webhook endpoints must use https'
        : 'Webhook endpoints must use https (http only to localhost or 127.0.0.1 outside production)',
      DomainErrorReason.WEBHOOK_URL_NOT_HTTPS,
    );
  }
  const normalised = url.toString();
  if (normalised.length > 2000) throw DomainError.invalid(field, 'The URL is too long (at most 2000 characters)');
  return normalised;
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the `standardwebhooks` package reads it as is). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * When attempt `number` (1-based) that failed is followed by the next: exponential from `baseMs`, as BullMQ's
 * 'exponential' backoff computes it (base * 2^(n-1)). Also what the sweep counts as "overdue".
 */
export function webhookRetryDelayMs(number: number, baseMs: number): number {
  return baseMs * 2 ** (number - 1);
}

/** The whole schedule: the delay before each retry after the first attempt, and how long until the last. */
export function webhookRetrySchedule(
  attempts: number,
  baseMs: number,
): { delaysMs: number[]; lastAttemptAfterMs: number } {
  const delaysMs = Array.from({ length: Math.max(attempts - 1, 0) }, (_, i) => webhookRetryDelayMs(i + 1, baseMs));
  return { delaysMs, lastAttemptAfterMs: delaysMs.reduce((a, b) => a + b, 0) };
}
