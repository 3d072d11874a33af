import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { CARE_MODULES, DomainModule } from '../../libs/domain/src';
import { TestDatabase } from './test-database';

/** The domain services with their lifecycle (listeners, queues, event bus), as the API and worker have them. */
export async function startDomain(db: TestDatabase): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    DomainModule.forRoot({ config: db.config, dataSource: db.dataSource }),
    { logger: ['error'] },
  );
  await app.init();
  return app;
}

/** A test's own container: the worker with every care feature beside it, so that a test can act as the API would. */
@Module({})
class WorkerBesideDomain {}

/**
 * The real worker process (BullMQ consumers on this file's own queue prefix), in-process. The worker loads only
 * the features its processors call; the rest are loaded beside it (the same instances, one of each) for the test.
 */
export async function startWorker(db: TestDatabase): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    {
      module: WorkerBesideDomain,
      imports: [WorkerModule.forRoot({ config: db.config, dataSource: db.dataSource }), ...CARE_MODULES],
    },
    { logger: ['error', 'warn'] },
  );
  await app.init();
  return app;
}

/** Polls until `check` returns a value (not undefined/null/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
