import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLogService } from './access/access-log.service';
import { ActTeamService } from './act-team/act-team.service';
import { CollaborationService } from './collaboration/collaboration.service';
import { DecisionEventBus } from './decisions/decision-events';
import { ProposalService } from './decisions/proposal.service';
import { CareEpisodeService } from './episodes/care-episode.service';
import { NotificationService } from './notifications/notification.service';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { HousingService } from './housing/housing.service';
import { JobQueue } from './jobs/job-queue.service';
import { OrganisationService } from './organisation/organisation.service';
import { CaseloadService } from './overview/caseload.service';
import { OverviewQueries } from './overview/overview.queries';
import { PersonService } from './person/person.service';
import { SipPlanService } from './sip-plan/sip-plan.service';
import { StaffService } from './staff/staff.service';
import { TimelineService } from './timeline/timeline.service';

const SERVICES = [
  AccessLogService,
  ActTeamService,
  CareEpisodeService,
  CaseloadService,
  CollaborationService,
  DecisionEventBus,
  NotificationService,
  ProposalService,
  HousingService,
  JobQueue,
  OrganisationService,
  OverviewQueries,
  PersonService,
  SipPlanService,
  StaffService,
  TimelineService,
];

/**
 * The domain layer as a Nest module, shared by the API and the worker. It is given an initialised
 * DataSource (opened and migrated at start, see platform/startup) rather than opening one itself.
 */
@Global()
@Module({})
export class DomainModule {
  static forRoot(options: { config: AppConfig; dataSource: DataSource }): DynamicModule {
    return {
      module: DomainModule,
      providers: [{ provide: APP_CONFIG, useValue: options.config }, { provide: DataSource, useValue: options.dataSource }, ...SERVICES],
      exports: [APP_CONFIG, DataSource, ...SERVICES],
    };
  }
}
