import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { SipPlanService } from './sip-plan.service';

/** The coordinated individual plan (SIP): versions, approvals, follow-ups. */
@Module({ imports: [NotificationsModule], providers: [SipPlanService], exports: [SipPlanService] })
export class SipPlanModule {}
