import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLogSealer } from './access/access-log-sealer';
import { AccessLogService } from './access/access-log.service';
import { EmergencyAccessService } from './access/emergency-access.service';
import { ConsentService } from './consent/consent.service';
import { ActTeamService } from './act-team/act-team.service';
import { CollaborationService } from './collaboration/collaboration.service';
import { DecisionEventBus } from './decisions/decision-events';
import { ProposalService } from './decisions/proposal.service';
import { CareEpisodeService } from './episodes/care-episode.service';
import { DischargeService } from './discharge/discharge.service';
import { EpisodeEndingService } from './discharge/episode-ending.service';
import { NotificationService } from './notifications/notification.service';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { HousingService } from './housing/housing.service';
import { JobQueue } from './jobs/job-queue.service';
import { OrganisationService } from './organisation/organisation.service';
import { CaseloadService } from './overview/caseload.service';
import { OverviewQueries } from './overview/overview.queries';
import { ActTeamFigures } from './act-team/caseload-figures';
import { PersonStandingQueries } from './overview/person-standing';
import { PersonService } from './person/person.service';
import { RecordOwnerQueries } from './person/record-owner.queries';
import { RelativeService } from './person/relative.service';
import { SipPlanService } from './sip-plan/sip-plan.service';
import { ApiKeyService } from './staff/api-key.service';
import { IntegrationClientService } from './staff/integration-client.service';
import { Clock } from './platform/clock';
import { StaffService } from './staff/staff.service';
import { TimelineService } from './timeline/timeline.service';
import { CaseCheckService } from './case-checks/case-check.service';
import { SipMeetingService } from './meetings/sip-meeting.service';
import { EmailChannel } from './reminders/channels/email.channel';
import { HttpSmsGateway, SMS_GATEWAY } from './reminders/channels/sms.gateway';
import { ReminderDispatcher } from './reminders/reminder-dispatcher.service';
import { ReminderScheduler } from './reminders/reminder-scheduler.service';
import { Metrics } from './platform/metrics';
import { WebhookSubscriptionService } from './webhooks/webhook-subscription.service';

const SERVICES = [
  AccessLogSealer,
  AccessLogService,
  ApiKeyService,
  Clock,
  IntegrationClientService,
  ConsentService,
  EmergencyAccessService,
  ActTeamService,
  ActTeamFigures,
  CareEpisodeService,
  CaseloadService,
  CollaborationService,
  DecisionEventBus,
  DischargeService,
  EpisodeEndingService,
  NotificationService,
  ProposalService,
  HousingService,
  JobQueue,
  OrganisationService,
  OverviewQueries,
  PersonStandingQueries,
  PersonService,
  RecordOwnerQueries,
  RelativeService,
  SipPlanService,
  StaffService,
  TimelineService,
  CaseCheckService,
  SipMeetingService,
  EmailChannel,
  ReminderScheduler,
  ReminderDispatcher,
  Metrics,
  WebhookSubscriptionService,
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
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: DataSource, useValue: options.dataSource },
        { provide: SMS_GATEWAY, useClass: HttpSmsGateway },
        ...SERVICES,
      ],
      exports: [APP_CONFIG, DataSource, SMS_GATEWAY, ...SERVICES],
    };
  }
}
