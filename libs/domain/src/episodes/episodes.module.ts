import { Module } from '@nestjs/common';
import { CareEpisodeService } from './care-episode.service';

/** Care episodes: an organisation's involvement with a person, from its start to its ending. */
@Module({ providers: [CareEpisodeService], exports: [CareEpisodeService] })
export class EpisodesModule {}
