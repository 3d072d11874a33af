import { Module } from '@nestjs/common';
import { SipMeetingService } from './sip-meeting.service';

/** SIP meetings: planning, moving and cancelling them, and who is summoned. */
@Module({ providers: [SipMeetingService], exports: [SipMeetingService] })
export class MeetingsModule {}
