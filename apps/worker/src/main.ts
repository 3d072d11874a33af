import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkRedis, ConfigError, loadConfig, openDatabase, StartupError } from '@samverka/domain';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await checkRedis(config);
  const dataSource = await openDatabase(config, { migrate: true });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, dataSource }), {
    logger: config.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  new Logger('Samverka').log('Worker ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`samverka-worker: ${error.message}`);
  } else {
    console.error('samverka-worker: failed to start:', error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : error);
  }
  process.exit(1);
});
