// The API's features: one Nest module each, holding its resolvers and importing only the care features (and
// authentication) they call. AppModule composes them; `npm run schema` builds the schema from RESOLVERS.
import { ACT_TEAM_RESOLVERS, ActTeamApiModule } from './act-team/act-team.module';
import { AUDIT_RESOLVERS, AuditApiModule } from './audit/audit.module';
import { AUTH_RESOLVERS, AuthApiModule } from './auth/auth.module';
import { COLLABORATION_RESOLVERS, CollaborationApiModule } from './collaboration/collaboration.module';
import { CONSENT_RESOLVERS, ConsentApiModule } from './consent/consent.module';
import { DECISIONS_RESOLVERS, DecisionsApiModule } from './decisions/decisions.module';
import { HOUSING_RESOLVERS, HousingApiModule } from './housing/housing.module';
import { NOTIFICATIONS_RESOLVERS, NotificationsApiModule } from './notifications/notifications.module';
import { ORGANISATION_RESOLVERS, OrganisationApiModule } from './organisation/organisation.module';
import { OVERVIEW_RESOLVERS, OverviewApiModule } from './overview/overview.module';
import { PERSON_RESOLVERS, PersonApiModule } from './person/person.module';
import { REMINDERS_RESOLVERS, RemindersApiModule } from './reminders/reminders.module';
import { SIP_PLAN_RESOLVERS, SipPlanApiModule } from './sip-plan/sip-plan.module';
import { STAFF_RESOLVERS, StaffApiModule } from './staff/staff.module';
import { TIMELINE_RESOLVERS, TimelineApiModule } from './timeline/timeline.module';
import { WEBHOOKS_RESOLVERS, WebhooksApiModule } from './webhooks/webhooks.module';

export const API_FEATURES = [
  ActTeamApiModule,
  AuditApiModule,
  AuthApiModule,
  CollaborationApiModule,
  ConsentApiModule,
  DecisionsApiModule,
  HousingApiModule,
  NotificationsApiModule,
  OrganisationApiModule,
  OverviewApiModule,
  PersonApiModule,
  RemindersApiModule,
  SipPlanApiModule,
  StaffApiModule,
  TimelineApiModule,
  WebhooksApiModule,
];

/** Every resolver of the schema. */
export const RESOLVERS = [
  ...ACT_TEAM_RESOLVERS,
  ...AUDIT_RESOLVERS,
  ...AUTH_RESOLVERS,
  ...COLLABORATION_RESOLVERS,
  ...CONSENT_RESOLVERS,
  ...DECISIONS_RESOLVERS,
  ...HOUSING_RESOLVERS,
  ...NOTIFICATIONS_RESOLVERS,
  ...ORGANISATION_RESOLVERS,
  ...OVERVIEW_RESOLVERS,
  ...PERSON_RESOLVERS,
  ...REMINDERS_RESOLVERS,
  ...SIP_PLAN_RESOLVERS,
  ...STAFF_RESOLVERS,
  ...TIMELINE_RESOLVERS,
  ...WEBHOOKS_RESOLVERS,
];
