import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { EmailChannel } from './channels/email.channel';
import { HttpSmsGateway, SMS_GATEWAY } from './channels/sms.gateway';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { ReminderScheduler } from './reminder-scheduler.service';

/** Reminders: derived from meetings and plans, scheduled as jobs, sent in-app, by e-mail or by SMS. */
@Module({
  imports: [NotificationsModule],
  providers: [EmailChannel, { provide: SMS_GATEWAY, useClass: HttpSmsGateway }, ReminderScheduler, ReminderDispatcher],
  exports: [ReminderScheduler, ReminderDispatcher],
})
export class RemindersModule {}
