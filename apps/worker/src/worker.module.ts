import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, DomainModule } from '@samverka/domain';
import { DataSource } from 'typeorm';
import { DecisionsProcessor } from './processors/decisions.processor';
import { HousekeepingProcessor } from './processors/housekeeping.processor';
import { JobRunner } from './runtime/job-runner';

/** The worker: the domain services plus queue consumers. It does not load the GraphQL API. */
@Module({})
export class WorkerModule {
  static forRoot(options: { config: AppConfig; dataSource: DataSource }): DynamicModule {
    return {
      module: WorkerModule,
      imports: [DomainModule.forRoot(options), DiscoveryModule],
      providers: [JobRunner, HousekeepingProcessor, DecisionsProcessor],
    };
  }
}
