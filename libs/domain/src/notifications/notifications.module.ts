import { Module } from '@nestjs/common';
import { NotificationService } from './notification.service';

/** In-app notifications and their live feed; most features tell someone something through it. */
@Module({ providers: [NotificationService], exports: [NotificationService] })
export class NotificationsModule {}
