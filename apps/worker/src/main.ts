import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkRedis, openDatabase, StartupError } from '@samverka/domain';
import { announce, ConfigError, loadConfig, stopOnSignals } from '@samverka/infrastructure';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const redis = await checkRedis(config);
  const dataSource = await openDatabase(config, { migrate: config.MIGRATE_ON_START === 'true' });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, dataSource }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  for (const warning of redis.warnings) new Logger('Redis').warn({ event: 'redis.eviction_policy', msg: warning });
  // Consumers stop first (in-flight jobs get SHUTDOWN_GRACE_MS, JobRunner), then the relay, queues, Redis and the pool.
  stopOnSignals('Samverka', config.SHUTDOWN_GRACE_MS, async () => {
    await app.close();
    await dataSource.destroy();
  });
  announce('Samverka', 'Worker ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`samverka-worker: ${error.message}`);
  } else {
    console.error(
      'samverka-worker: failed to start:',
      error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : error,
    );
  }
  process.exit(1);
});
