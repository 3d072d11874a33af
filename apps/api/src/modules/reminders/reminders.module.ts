import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { CaseChecksModule, MeetingsModule, NotificationsModule, RemindersModule } from '@samverka/domain';
import { NotificationPreferencesResolver, PersonRemindersResolver, SipMeetingResolver } from './reminders.resolver';

/** The schema's reminders resolvers (also what `npm run schema` builds the schema from). */
export const REMINDERS_RESOLVERS = [SipMeetingResolver, PersonRemindersResolver, NotificationPreferencesResolver];

/** SIP meetings, a person's reminders and case checks, notification preferences. */
@Module({
  imports: [AuthModule, CaseChecksModule, MeetingsModule, NotificationsModule, RemindersModule],
  providers: [...REMINDERS_RESOLVERS],
})
export class RemindersApiModule {}
