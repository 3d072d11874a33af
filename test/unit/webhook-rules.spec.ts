import { Webhook } from 'standardwebhooks';
import { AppConfig } from '../../libs/infrastructure/src/config/app-config';
import { DomainError } from '../../libs/domain/src/errors/domain-error';
import {
  newWebhookSecret,
  validateWebhookUrl,
  webhookRetrySchedule,
} from '../../libs/domain/src/webhooks/webhook-endpoint.rules';
import { WebhookEventKind, webhookEventType } from '../../libs/domain/src/webhooks/webhook.enums';

function refusal(url: string, production: boolean): DomainError {
  try {
    validateWebhookUrl(url, production);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`${url} was accepted`);
}

describe('webhook endpoint rules', () => {
  it('https anywhere; http only to this machine and never in production', () => {
    expect(validateWebhookUrl('https://partner.example/hooks', true)).toBe('https://partner.example/hooks');
    expect(validateWebhookUrl('http://localhost:8080/hooks', false)).toBe('http://localhost:8080/hooks');
    expect(validateWebhookUrl('http://127.0.0.1:9/x', false)).toBe('http://127.0.0.1:9/x');
    expect(refusal('http://127.0.0.1:9/x', true).reason).toBe('WEBHOOK_URL_NOT_HTTPS');
    expect(refusal('http://partner.example/hooks', false).reason).toBe('WEBHOOK_URL_NOT_HTTPS');
    // A name that merely starts like localhost is someone else's machine.
    expect(refusal('http://localhost.partner.example/hooks', false).reason).toBe('WEBHOOK_URL_NOT_HTTPS');
    expect(refusal('ftp://partner.example/hooks', false).field).toBe('url');
    expect(refusal('https://user:pw@partner.example/hooks', false).field).toBe('url');
    expect(refusal('not a url', false).field).toBe('url');
  });

  it('a secret is a Standard Webhooks secret the package signs and verifies with', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{43,}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    const body = JSON.stringify({ type: 'plan.adopted', timestamp: new Date().toISOString(), data: { personId: 'x' } });
    const now = new Date();
    const signature = new Webhook(secret).sign('evt', now, body);
    const headers = {
      'webhook-id': 'evt',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('the default retry schedule keeps trying for at least 24 hours, and is the one the README states', () => {
    const config = new AppConfig();
    const { delaysMs, lastAttemptAfterMs } = webhookRetrySchedule(config.WEBHOOK_ATTEMPTS, config.WEBHOOK_BACKOFF_MS);
    expect(delaysMs).toHaveLength(config.WEBHOOK_ATTEMPTS - 1);
    expect(lastAttemptAfterMs).toBeGreaterThanOrEqual(24 * 3_600_000);
    // Each wait doubles the one before (BullMQ's exponential backoff).
    delaysMs.slice(1).forEach((d, i) => expect(d).toBe(2 * delaysMs[i]));
    expect(delaysMs[0]).toBe(60_000);
    expect(Math.round(lastAttemptAfterMs / 3_600_000)).toBe(34);
  });

  it('event types are the dotted names partners receive', () => {
    expect(Object.values(WebhookEventKind).map(webhookEventType)).toEqual([
      'plan.adopted',
      'meeting.planned',
      'meeting.moved',
      'meeting.cancelled',
      'proposal.opened',
      'proposal.closed',
      'discharge.executed',
      'discharge.refused',
      'membership.changed',
      'consent.recorded',
      'consent.withdrawn',
    ]);
  });
});
