import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { hashPassword } from '@samverka/auth';
import { checkRedis, ConfigError, loadConfig, openDatabase, StartupError } from '@samverka/domain';
import { formatDemoLogins, seedDemoData } from '@samverka/domain/demo/demo-data';
import { AppModule } from './app.module';
import { serveWebClient } from './web-client';

/** Starts the API: configuration, database (created and migrated), Redis, demo data (into an empty database), then GraphQL and the web client on PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDatabase(config, { migrate: true });
  await checkRedis(config);
  if (config.SEED_DEMO_DATA === 'true') {
    const logins = await seedDemoData(dataSource, { hashPassword: (password) => hashPassword(password) });
    if (logins) process.stdout.write(`Loaded the synthetic demo data set.\n${formatDemoLogins(logins)}\n`);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, dataSource }), {
    logger: config.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  const web = serveWebClient(app);
  await app.listen(config.PORT, '0.0.0.0');
  if (web) new Logger('Samverka').log(`Web client: http://localhost:${config.PORT}/`);
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
