import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';

export interface OutgoingSms {
  to: string;
  text: string;
  /** Derived from the reminder occurrence; the gateway drops a request whose key it has seen. */
  idempotencyKey: string;
}

/** The contract every SMS provider adapter fulfils; bind another implementation to SMS_GATEWAY to switch provider. */
export interface SmsGateway {
  readonly enabled: boolean;
  send(sms: OutgoingSms): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

export class SmsGatewayError extends Error {
  constructor(readonly status: number) {
    super(`SMS gateway answered ${status}`);
    this.name = 'SmsGatewayError';
  }
}

/**
 * A generic HTTP gateway: POST {to, text} as JSON with an Idempotency-Key header and a bearer token.
 * Any 2xx is success; anything else is retried by the queue.
 */
@Injectable()
export class HttpSmsGateway implements SmsGateway {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.SMS_GATEWAY_URL);
  }

  async send(sms: OutgoingSms): Promise<void> {
    if (!this.config.SMS_GATEWAY_URL) throw new Error('SMS is not configured (SMS_GATEWAY_URL)');
    const response = await fetch(this.config.SMS_GATEWAY_URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': sms.idempotencyKey,
        ...(this.config.SMS_GATEWAY_TOKEN ? { authorization: `Bearer ${this.config.SMS_GATEWAY_TOKEN}` } : {}),
      },
      body: JSON.stringify({ to: sms.to, text: sms.text }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new SmsGatewayError(response.status);
  }
}
