import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccessLogSealer } from './access-log-sealer';
import { AccessLogService } from './access-log.service';
import { EmergencyAccessService } from './emergency-access.service';

/** The access log (appended per read, sealed into a hash chain in the background) and emergency access. */
@Module({
  imports: [NotificationsModule],
  providers: [AccessLogService, AccessLogSealer, EmergencyAccessService],
  exports: [AccessLogService, EmergencyAccessService],
})
export class AccessModule {}
