import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';
import { DecisionEvent, decisionEvent, DecisionEventBus, DecisionEventKind } from '../decisions/decision-events';
import { ProposalCloseReason } from '../decisions/decision.enums';
import { ProposalService } from '../decisions/proposal.service';
import { CareEpisode } from '../episodes/care-episode.entity';
import { holdsCareEpisodes } from '../episodes/care-episode.service';
import { EndingReason, EpisodeStatus } from '../episodes/episode.enums';
import { DomainError } from '../errors/domain-error';
import { NoticeKind } from '../notifications/notification-kind';
import { NotificationService } from '../notifications/notification.service';
import { sql } from '../database/sql';

/**
 * An episode that ends without the group's decision (death, moving away, consent withdrawn) takes its
 * open discharge proposals with it: the other way an episode's involvement ends, beside discharge.
 */
@Injectable()
export class EpisodeEndingService {
  constructor(
    private readonly db: DataSource,
    private readonly proposals: ProposalService,
    private readonly notifications: NotificationService,
    private readonly events: DecisionEventBus,
  ) {}

  /**
   * Records an ending no one decides (death, moving away, consent withdrawn) for the actor's own
   * organisation: its active episode with the person ends as ENDED, never as a discharge, and its open
   * discharge proposals are voided. Each organisation ends only its own episode (one cannot end another
   * principal's involvement on its word); the group is told and the ending is listed for review.
   */
  async recordEnding(actor: Actor, personId: string, reason: EndingReason, evidence: string): Promise<CareEpisode> {
    if (!evidence.trim()) throw DomainError.invalid('evidence', 'Say on what evidence the ending is recorded');
    if (!holdsCareEpisodes(actor.principal))
      throw DomainError.forbidden('Only an organisation holding a care episode can record its ending');
    const events: DecisionEvent[] = [];
    const ended = await this.db.transaction(async (tx) => {
      await sql(tx, 'SELECT 1 FROM collaboration_group WHERE person_id = $1 FOR UPDATE', [personId]);
      const episode = await tx.getRepository(CareEpisode).findOne({
        where: { personId, organisationId: actor.organisationId, status: EpisodeStatus.ACTIVE },
        lock: { mode: 'pessimistic_write' },
      });
      if (!episode) throw DomainError.invalidState('Your organisation has no active care episode with this person');
      events.push(
        ...(await this.proposals.voidOpen(
          tx,
          { episodeIds: [episode.id] },
          { closeReason: ProposalCloseReason.EPISODE_ENDED, endingReason: reason },
        )),
      );
      await tx.getRepository(CareEpisode).update(
        { id: episode.id },
        {
          status: EpisodeStatus.ENDED,
          endedAt: new Date(),
          endingReason: reason,
          endingEvidence: evidence.trim(),
          endedBy: actor.staffId,
        },
      );
      await this.notifications.notifyGroup(tx, personId, NoticeKind.EPISODE_ENDED, {
        episodeKind: episode.kind,
        endingReason: reason,
      });
      events.push(
        decisionEvent(DecisionEventKind.EPISODE_ENDED, personId, {
          episodeId: episode.id,
          status: EpisodeStatus.ENDED,
        }),
      );
      return tx.getRepository(CareEpisode).findOneByOrFail({ id: episode.id });
    });
    await this.events.publish(events);
    return ended;
  }
}
