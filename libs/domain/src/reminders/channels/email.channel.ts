import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Derived from the reminder occurrence: a resent copy carries the same Message-ID, so receivers can drop it. */
  idempotencyKey: string;
}

/** E-mail over SMTP (nodemailer, pooled connections). Off when SMTP_URL is not set. */
@Injectable()
export class EmailChannel implements OnApplicationShutdown {
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  async send(email: OutgoingEmail): Promise<void> {
    if (!this.config.SMTP_URL) throw new Error('E-mail is not configured (SMTP_URL)');
    this.transport ??= this.connect(new URL(this.config.SMTP_URL));
    await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: `<${email.idempotencyKey}@samverka>`,
      headers: { 'X-Samverka-Idempotency-Key': email.idempotencyKey },
    });
  }

  /** Pooled connections: a burst of reminders reuses SMTP sessions instead of opening one each. */
  private connect(url: URL): Transporter {
    const secure = url.protocol === 'smtps:';
    return createTransport({
      pool: true,
      // As many as the e-mail queue has consumers, so none waits for a connection.
      maxConnections: 16,
      // A new SMTP session (connect, greeting, EHLO) every 100 messages, nodemailer's default, is a cost a burst
      // of thousands pays over and over; a server that wants fewer per session closes it, and the pool reconnects.
      maxMessages: 1000,
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
    });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
