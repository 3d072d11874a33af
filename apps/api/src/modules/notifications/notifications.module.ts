import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { NotificationsModule } from '@samverka/domain';
import { NotificationResolver } from './notifications.resolver';
import { DecisionsApiModule } from '../decisions/decisions.module';

/** The schema's notifications resolvers (also what `npm run schema` builds the schema from). */
export const NOTIFICATIONS_RESOLVERS = [NotificationResolver];

/** The in-app inbox and its live updates. */
@Module({
  imports: [AuthModule, NotificationsModule, DecisionsApiModule],
  providers: [...NOTIFICATIONS_RESOLVERS],
})
export class NotificationsApiModule {}
