import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { hashPassword } from '@samverka/auth';
import { checkRedis, openDatabase, StartupError } from '@samverka/domain';
import { announce, boundedWait, ConfigError, loadConfig, loggingParams, stopOnSignals } from '@samverka/infrastructure';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { formatDemoLogins, seedDemoData } from '@samverka/domain/demo/demo-data';
import { AppModule } from './app.module';
import { serveWebClient } from './web-client';

/** Starts the API: configuration, database (created and migrated), Redis, demo data (into an empty database), then GraphQL and the web client on PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDatabase(config, { migrate: config.MIGRATE_ON_START === 'true' });
  const redis = await checkRedis(config);
  if (config.SEED_DEMO_DATA === 'true') {
    const logins = await seedDemoData(dataSource, { hashPassword: (password) => hashPassword(password) });
    if (logins) process.stdout.write(`Loaded the synthetic demo data set.\n${formatDemoLogins(logins)}\n`);
  }
  // forceCloseConnections: sockets still open when the app closes (keep-alive, a request past the grace period) are cut.
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, dataSource, logging: loggingParams(config, 'api') }),
    {
      bufferLogs: true,
      forceCloseConnections: true,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  for (const warning of redis.warnings) new Logger('Redis').warn({ event: 'redis.eviction_policy', msg: warning });
  const web = serveWebClient(app);
  await app.listen(config.PORT, '0.0.0.0');
  const server = app.getHttpServer() as Server;
  stopOnSignals('Samverka', config.SHUTDOWN_GRACE_MS, async () => {
    // No new connections; idle keep-alive ones end now; requests in flight get up to half the grace period.
    server.close();
    server.closeIdleConnections();
    const drained = new Promise<void>((resolve) => {
      const poll = () => server.getConnections((_, open) => (open === 0 ? resolve() : setTimeout(poll, 25).unref()));
      poll();
    });
    await boundedWait(drained, config.SHUTDOWN_GRACE_MS / 2, undefined);
    // Subscriptions (graphql-ws), Apollo, Redis connections and queues close in the modules' shutdown hooks.
    await app.close();
    await dataSource.destroy();
  });
  // The port actually bound (PORT=0 takes any free one).
  const { port } = server.address() as AddressInfo;
  if (web) announce('Samverka', `Web client: http://localhost:${port}/`);
  announce('Samverka', `API ready: http://localhost:${port}/graphql`, { port });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`samverka-api: ${error.message}`);
  } else {
    console.error(
      'samverka-api: failed to start:',
      error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : error,
    );
  }
  process.exit(1);
});
