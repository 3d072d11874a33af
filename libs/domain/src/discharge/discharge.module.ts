import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module';
import { EpisodesModule } from '../episodes/episodes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DischargeService } from './discharge.service';
import { EpisodeEndingService } from './episode-ending.service';

/** How an episode's involvement ends: discharge requests and their execution, and endings without a decision. */
@Module({
  imports: [DecisionsModule, EpisodesModule, NotificationsModule],
  providers: [DischargeService, EpisodeEndingService],
  exports: [DischargeService, EpisodeEndingService],
})
export class DischargeModule {}
