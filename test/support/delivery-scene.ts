import { TEST_REDIS_URL } from './env';
import { startSmsSink, startSmtpSink } from './message-sinks';
import { dropQueueKeys } from './reminder-load';
import { createTestDatabase, TestDatabase } from './test-database';
import { spawnWorker, WorkerProcess } from './worker-process';

export interface DeliveryScene {
  db: TestDatabase;
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  sms: Awaited<ReturnType<typeof startSmsSink>>;
  /** A worker process on this scene's database, queues and message sinks; killed at `close` if still running. */
  startWorker(extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  close(): Promise<void>;
}

/** A test database, a real SMTP server and an SMS gateway, and worker processes wired to them. */
export async function deliveryScene(): Promise<DeliveryScene> {
  const smtp = await startSmtpSink();
  const sms = await startSmsSink();
  const db = await createTestDatabase({ SMTP_URL: smtp.url, SMS_GATEWAY_URL: sms.url });
  const workers: WorkerProcess[] = [];
  return {
    db,
    smtp,
    sms,
    async startWorker(extraEnv = {}) {
      const worker = await spawnWorker({
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: db.config.QUEUE_PREFIX,
        SMTP_URL: smtp.url,
        SMS_GATEWAY_URL: sms.url,
        TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
        LOG_LEVEL: 'warn',
        ...extraEnv,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const w of workers) await w.kill();
      await dropQueueKeys(TEST_REDIS_URL, db.config.QUEUE_PREFIX);
      await db.drop();
      await smtp.close();
      await sms.close();
    },
  };
}
