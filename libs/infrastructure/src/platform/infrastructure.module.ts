import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import { Clock } from './clock';
import { Metrics } from './metrics';

const INFRASTRUCTURE = [APP_CONFIG, DataSource, Clock, JobQueue, Metrics];

/**
 * What every feature needs and no feature owns: the validated configuration, the database, the clock,
 * the job queues and the metrics. Global, so that feature modules declare only the features they use.
 * It is given an initialised DataSource (opened and migrated at start, see platform/startup) rather than
 * opening one itself.
 */
@Module({})
export class InfrastructureModule {
  static forRoot(options: { config: AppConfig; dataSource: DataSource }): DynamicModule {
    return {
      module: InfrastructureModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: DataSource, useValue: options.dataSource },
        Clock,
        JobQueue,
        Metrics,
      ],
      exports: INFRASTRUCTURE,
    };
  }
}
