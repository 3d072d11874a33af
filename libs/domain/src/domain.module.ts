import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module';
import { ActTeamModule } from './act-team/act-team.module';
import { CaseChecksModule } from './case-checks/case-checks.module';
import { CollaborationModule } from './collaboration/collaboration.module';
import { AppConfig, InfrastructureModule } from '@samverka/infrastructure';
import { ConsentModule } from './consent/consent.module';
import { DecisionsModule } from './decisions/decisions.module';
import { DischargeModule } from './discharge/discharge.module';
import { EpisodesModule } from './episodes/episodes.module';
import { HousingModule } from './housing/housing.module';
import { MeetingsModule } from './meetings/meetings.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OrganisationModule } from './organisation/organisation.module';
import { OverviewModule } from './overview/overview.module';
import { PersonModule } from './person/person.module';
import { RemindersModule } from './reminders/reminders.module';
import { SipPlanModule } from './sip-plan/sip-plan.module';
import { StaffModule } from './staff/staff.module';
import { TimelineModule } from './timeline/timeline.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Every care feature module. The API and the worker import the ones they use; this list is for the whole domain. */
export const CARE_MODULES = [
  AccessModule,
  ActTeamModule,
  CaseChecksModule,
  CollaborationModule,
  ConsentModule,
  DecisionsModule,
  DischargeModule,
  EpisodesModule,
  HousingModule,
  MeetingsModule,
  NotificationsModule,
  OrganisationModule,
  OverviewModule,
  PersonModule,
  RemindersModule,
  SipPlanModule,
  StaffModule,
  TimelineModule,
  WebhooksModule,
];

/**
 * The whole domain with its infrastructure, for scripts and tests that use the domain services without
 * the API or the worker (seeding, benchmarks, integration tests). The applications do not use it: they
 * import InfrastructureModule and the feature modules they need.
 */
@Module({})
export class DomainModule {
  static forRoot(options: { config: AppConfig; dataSource: DataSource }): DynamicModule {
    return {
      module: DomainModule,
      imports: [InfrastructureModule.forRoot(options), ...CARE_MODULES],
      exports: CARE_MODULES,
    };
  }
}
