import { Module } from '@nestjs/common';
import { TimelineService } from './timeline.service';

/** A person's timeline of recorded contacts. */
@Module({ providers: [TimelineService], exports: [TimelineService] })
export class TimelineModule {}
