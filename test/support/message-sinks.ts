import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  /** The idempotency key: the e-mail Message-ID or the SMS Idempotency-Key header. */
  key: string;
  to: string;
  body: string;
  at: number;
}

/** A real SMTP server on a free port that keeps what it receives (the e-mail channel's far end). */
export async function startSmtpSink(): Promise<{ url: string; received: ReceivedMessage[]; close(): Promise<void> }> {
  const received: ReceivedMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const encoded = Buffer.concat(chunks).toString('latin1');
        // Read before decoding: a Q-encoded subject ends in "?=" + CRLF, which decoding would join to the next header.
        const key = /^Message-ID:\s*<([^@>]+)@samverka>/im.exec(encoded)?.[1] ?? '';
        const raw = decodeQuotedPrintable(encoded);
        received.push({ key, to: session.envelope.rcptTo.map((r) => r.address).join(','), body: raw, at: Date.now() });
        callback();
      });
    },
  });
  // A client killed mid-session resets its connection; the sink carries on (unhandled, it would crash the test).
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * A local HTTP SMS gateway that keeps what it receives. `fail(to)` makes it answer 500 for a number,
 * to show that one failing recipient does not hold up the others.
 */
export async function startSmsSink(): Promise<{
  url: string;
  received: ReceivedMessage[];
  failFor: Set<string>;
  close(): Promise<void>;
}> {
  const received: ReceivedMessage[] = [];
  const failFor = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      if (failFor.has(body.to)) {
        res.writeHead(500).end();
        return;
      }
      received.push({
        key: String(req.headers['idempotency-key'] ?? ''),
        to: body.to,
        body: body.text,
        at: Date.now(),
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    failFor,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Bodies with å, ä and ö travel quoted-printable; decoded here so tests can read them. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
