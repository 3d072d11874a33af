import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccessPolicy, PolicyWebhookAudience } from '@samverka/auth';
import {
  AccessModule,
  CollaborationModule,
  DecisionsModule,
  DischargeModule,
  RemindersModule,
  WebhookAudience,
  WebhookDeliveryService,
} from '@samverka/domain';
import { AppConfig, InfrastructureModule, loggingParams } from '@samverka/infrastructure';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DecisionsProcessor } from './processors/decisions.processor';
import { HousekeepingProcessor } from './processors/housekeeping.processor';
import { RemindersProcessor } from './processors/reminders.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';
import { HealthServer } from './runtime/health.server';
import { JobRunner } from './runtime/job-runner';
import { OutboxRelay } from './runtime/outbox-relay';

/** The worker: queue consumers over the domain services they call. It does not load the GraphQL API. */
@Module({})
export class WorkerModule {
  static forRoot(options: { config: AppConfig; dataSource: DataSource }): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot(loggingParams(options.config, 'worker')),
        InfrastructureModule.forRoot(options),
        // The features its processors call, and no more: the worker does not load what only the API uses.
        AccessModule,
        CollaborationModule,
        DecisionsModule,
        DischargeModule,
        RemindersModule,
        DiscoveryModule,
      ],
      providers: [
        JobRunner,
        OutboxRelay,
        HealthServer,
        HousekeepingProcessor,
        DecisionsProcessor,
        RemindersProcessor,
        WebhooksProcessor,
        // Webhooks go only about persons the client may see: the one access policy decides, as for the API.
        AccessPolicy,
        { provide: WebhookAudience, useClass: PolicyWebhookAudience },
        WebhookDeliveryService,
      ],
    };
  }
}
