import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkRedis, ConfigError, loadConfig, openDatabase, StartupError } from '@samverka/domain';
import { AppModule } from './app.module';

/** Starts the API: configuration, database (created and migrated), Redis, then GraphQL on PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDatabase(config, { migrate: true });
  await checkRedis(config);
  const app = await NestFactory.create(AppModule.forRoot({ config, dataSource }), {
    logger: config.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  new Logger('Samverka').log(`API ready: http://localhost:${config.PORT}/graphql`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`samverka-api: ${error.message}`);
  } else {
    console.error('samverka-api: failed to start:', error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : error);
  }
  process.exit(1);
});
