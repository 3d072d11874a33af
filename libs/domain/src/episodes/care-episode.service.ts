import { assertNamedPerson } from '../decisions/named-person.rule';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Actor } from '../actor';
import { DecisionEvent, decisionEvent, DecisionEventBus, DecisionEventKind } from '../decisions/decision-events';
import { ProposalCloseReason, ProposalStatus, ProposalType } from '../decisions/decision.enums';
import { Proposal } from '../decisions/proposal.entity';
import { ProposalService } from '../decisions/proposal.service';
import { DomainError } from '../errors/domain-error';
import { JobQueue } from '../jobs/job-queue.service';
import { JobName } from '../jobs/jobs';
import { NoticeKind } from '../notifications/notification-kind';
import { NotificationService } from '../notifications/notification.service';
import { Principal } from '../organisation/organisation.enums';
import { today } from '../time';
import { entityColumns } from '../database/entity-sql';
import { CareEpisode } from './care-episode.entity';
import { DischargeRequest } from './discharge-request.entity';
import { DischargeRefusal, DischargeRequestStatus, EndingReason, EpisodeKind, EpisodeStatus } from './episode.enums';

/** Which kind of involvement each principal can hold. */
/** The care episodes of the persons $1, latest first (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const EPISODES_OF_PERSONS_SQL = `SELECT ${entityColumns(CareEpisode, 'e')} FROM care_episode e WHERE e.person_id = ANY($1::uuid[]) ORDER BY e.started_on DESC, e.id`;

const KINDS_OF: Record<Principal, EpisodeKind[]> = {
  [Principal.MUNICIPALITY]: [EpisodeKind.SOCIAL_SERVICES],
  [Principal.REGION]: [EpisodeKind.PSYCHIATRY, EpisodeKind.ADDICTION_CARE, EpisodeKind.PRIMARY_CARE],
  [Principal.OTHER]: [],
};

/** Why a discharge request is refused: the code, and the status it names. */
export interface Refusal {
  reason: DischargeRefusal;
  reasonEpisodeStatus?: EpisodeStatus;
  reasonProposalStatus?: ProposalStatus;
}

/** An ending recorded without the group's decision, as a reviewer sees it. */
export interface EpisodeEnding {
  episodeId: string;
  personId: string;
  organisationId: string;
  kind: EpisodeKind;
  reason: EndingReason;
  evidence: string;
  endedAt: Date;
  endedBy: string;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

const ENDINGS_SQL = `
  SELECT e.id AS "episodeId", e.person_id AS "personId", e.organisation_id AS "organisationId", e.kind, e.ending_reason AS reason,
         e.ending_evidence AS evidence, e.ended_at AS "endedAt", e.ended_by AS "endedBy",
         r.reviewed_at AS "reviewedAt", r.reviewed_by AS "reviewedBy", r.note AS "reviewNote"
    FROM care_episode e LEFT JOIN episode_ending_review r ON r.episode_id = e.id
   WHERE e.status = '${EpisodeStatus.ENDED}'`;

/** A request older than this without a decision had its job lost; the sweep enqueues it again. */
export const STALE_REQUEST_SECONDS = 30;

/**
 * An approved DISCHARGE decision that may still be used: not used before, not past its validity. The one
 * condition the worker executes a discharge with (the database's care_episode_guard checks it again) and
 * the client is told of; `alias` names the proposal table.
 */
export const USABLE_DISCHARGE_DECISION = (alias: string) =>
  `${alias}.type = '${ProposalType.DISCHARGE}' AND ${alias}.status = '${ProposalStatus.APPROVED}' AND ${alias}.used_at IS NULL AND ${alias}.approval_valid_until > now()`;

@Injectable()
export class CareEpisodeService {
  constructor(
    private readonly db: DataSource,
    private readonly proposals: ProposalService,
    private readonly notifications: NotificationService,
    private readonly events: DecisionEventBus,
    private readonly jobs: JobQueue,
  ) {}

  /** Records that the actor's organisation is involved with the person. */
  async open(actor: Actor, personId: string, input: { kind: EpisodeKind; startedOn?: string }): Promise<CareEpisode> {
    if (!KINDS_OF[actor.principal].includes(input.kind)) {
      throw DomainError.invalid(
        'kind',
        `An organisation of the ${actor.principal.toLowerCase()} cannot hold a ${input.kind} episode`,
      );
    }
    const repo = this.db.getRepository(CareEpisode);
    if (await repo.existsBy({ personId, organisationId: actor.organisationId, status: EpisodeStatus.ACTIVE })) {
      throw DomainError.conflict('Your organisation already has an active episode with this person');
    }
    return repo.save(
      repo.create({
        personId,
        organisationId: actor.organisationId,
        principal: actor.principal,
        kind: input.kind,
        status: EpisodeStatus.ACTIVE,
        startedOn: input.startedOn ?? today(),
      }),
    );
  }

  /**
   * Records a discharge request and hands it to the worker. Refuses at once only what is plainly
   * wrong (another organisation's episode, an episode that has ended); whether the group agreed is
   * for the worker to decide, in one transaction.
   */
  async requestDischarge(actor: Actor, episodeId: string): Promise<DischargeRequest> {
    assertNamedPerson(actor, 'ask to discharge an episode');
    const episode = await this.get(episodeId);
    if (episode.organisationId !== actor.organisationId) {
      throw DomainError.forbidden('Only staff of the organisation holding the episode can ask to discharge it');
    }
    if (episode.status !== EpisodeStatus.ACTIVE)
      throw DomainError.invalidState(`The episode is already ${episode.status}`);
    const repo = this.db.getRepository(DischargeRequest);
    const request = await repo.save(
      repo.create({
        episodeId,
        requestedBy: actor.staffId,
        status: DischargeRequestStatus.PENDING,
        requestedAt: new Date(),
      }),
    );
    // Recorded first, enqueued second: if the enqueue is lost, the sweep finds the pending request.
    await this.jobs.enqueue(JobName.DISCHARGE_EXECUTE, { requestId: request.id }, { jobId: `discharge-${request.id}` });
    await this.events.publish([
      decisionEvent(DecisionEventKind.DISCHARGE_REQUESTED, episode.personId, {
        episodeId,
        requestId: request.id,
        status: request.status,
      }),
    ]);
    return request;
  }

  /**
   * The authoritative check, run by the worker: in one transaction, with the request, the episode and
   * the decision locked, the episode is discharged only by consuming a valid approved decision. A
   * request that has already been decided is left alone, so each request ends exactly once.
   */
  async executeDischarge(requestId: string): Promise<DischargeRequest | null> {
    let event: DecisionEvent | null = null;
    const decided = await this.db.transaction(async (tx) => {
      const request = await tx
        .getRepository(DischargeRequest)
        .findOne({ where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
      if (!request || request.status !== DischargeRequestStatus.PENDING) return request;
      const episode = await tx
        .getRepository(CareEpisode)
        .findOneOrFail({ where: { id: request.episodeId }, lock: { mode: 'pessimistic_write' } });
      const reject = async (refusal: Refusal) => {
        await tx
          .getRepository(DischargeRequest)
          .update({ id: request.id }, { status: DischargeRequestStatus.REJECTED, decidedAt: new Date(), ...refusal });
        event = decisionEvent(DecisionEventKind.DISCHARGE_REJECTED, episode.personId, {
          episodeId: episode.id,
          requestId,
          status: DischargeRequestStatus.REJECTED,
        });
        return tx.getRepository(DischargeRequest).findOneByOrFail({ id: request.id });
      };
      if (episode.status !== EpisodeStatus.ACTIVE)
        return reject({ reason: DischargeRefusal.EPISODE_NOT_ACTIVE, reasonEpisodeStatus: episode.status });

      const decision: Proposal | null = await tx
        .getRepository(Proposal)
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.episode_id = :episodeId', { episodeId: episode.id })
        .andWhere(USABLE_DISCHARGE_DECISION('p'))
        .orderBy('p.closed_at', 'DESC')
        .getOne();
      if (!decision) return reject(await this.whyNoDecision(episode.id));

      // The care_episode_guard trigger checks the decision once more and marks it used.
      await tx
        .getRepository(CareEpisode)
        .update(
          { id: episode.id },
          { status: EpisodeStatus.DISCHARGED, endedAt: new Date(), dischargeDecisionId: decision.id },
        );
      await tx
        .getRepository(DischargeRequest)
        .update(
          { id: request.id },
          { status: DischargeRequestStatus.EXECUTED, decidedAt: new Date(), decisionId: decision.id },
        );
      await this.notifications.notifyGroup(tx, episode.personId, NoticeKind.EPISODE_DISCHARGED, {
        episodeKind: episode.kind,
      });
      event = decisionEvent(DecisionEventKind.DISCHARGE_EXECUTED, episode.personId, {
        episodeId: episode.id,
        requestId,
        proposalId: decision.id,
        status: EpisodeStatus.DISCHARGED,
      });
      return tx.getRepository(DischargeRequest).findOneByOrFail({ id: request.id });
    });
    if (event) await this.events.publish([event]);
    return decided;
  }

  /**
   * Records an ending no one decides (death, moving away, consent withdrawn) for the actor's own
   * organisation: its active episode with the person ends as ENDED, never as a discharge, and its open
   * discharge proposals are voided. Each organisation ends only its own episode (one cannot end another
   * principal's involvement on its word); the group is told and the ending is listed for review.
   */
  async recordEnding(actor: Actor, personId: string, reason: EndingReason, evidence: string): Promise<CareEpisode> {
    if (!evidence.trim()) throw DomainError.invalid('evidence', 'Say on what evidence the ending is recorded');
    if (KINDS_OF[actor.principal].length === 0)
      throw DomainError.forbidden('Only an organisation holding a care episode can record its ending');
    const events: DecisionEvent[] = [];
    const ended = await this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM collaboration_group WHERE person_id = $1 FOR UPDATE', [personId]);
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

  /** Endings recorded without the group's decision, newest first, for review (unreviewed only by default). */
  async endingsToReview(options: { first: number; unreviewedOnly: boolean }): Promise<EpisodeEnding[]> {
    return this.db.query(
      `${ENDINGS_SQL} AND (NOT $2 OR r.episode_id IS NULL) ORDER BY e.ended_at DESC, e.id LIMIT $1`,
      [options.first, options.unreviewedOnly],
    );
  }

  /** Marks an ending as reviewed, once. */
  async reviewEnding(actor: Actor, episodeId: string, note: string | null): Promise<EpisodeEnding> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO episode_ending_review (episode_id, reviewed_by, note)
       SELECT id, $2, $3 FROM care_episode WHERE id = $1 AND status = '${EpisodeStatus.ENDED}'
       ON CONFLICT (episode_id) DO NOTHING RETURNING episode_id`,
      [episodeId, actor.staffId, note?.trim() || null],
    );
    const [ending]: EpisodeEnding[] = await this.db.query(`${ENDINGS_SQL} AND e.id = $1`, [episodeId]);
    if (!ending) throw DomainError.notFound('ended care episode');
    if (rows.length === 0) throw DomainError.invalidState('The ending is already reviewed');
    return ending;
  }

  /** Requests still pending after STALE_REQUEST_SECONDS: their job was lost (crash between commit and enqueue). */
  async staleRequestIds(limit = 500): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM discharge_request WHERE status = 'PENDING' AND requested_at < now() - make_interval(secs => $1) ORDER BY requested_at LIMIT $2`,
      [STALE_REQUEST_SECONDS, limit],
    );
    return rows.map((r) => r.id);
  }

  async get(id: string): Promise<CareEpisode> {
    const episode = await this.db.getRepository(CareEpisode).findOneBy({ id });
    if (!episode) throw DomainError.notFound('care episode');
    return episode;
  }

  getRequest(id: string): Promise<DischargeRequest | null> {
    return this.db.getRepository(DischargeRequest).findOneBy({ id });
  }

  byPersonIds(personIds: readonly string[]): Promise<CareEpisode[]> {
    return this.db.query(EPISODES_OF_PERSONS_SQL, [personIds]);
  }

  /** The episodes among `ids` that have a usable approved discharge decision now (what a request would execute with). */
  async withUsableDischargeDecision(ids: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ episode_id: string }> = await this.db.query(
      `SELECT DISTINCT p.episode_id FROM proposal p WHERE p.episode_id = ANY($1::uuid[]) AND ${USABLE_DISCHARGE_DECISION('p')}`,
      [[...ids]],
    );
    return new Set(rows.map((r) => r.episode_id));
  }

  requestsByEpisodeIds(ids: readonly string[]): Promise<DischargeRequest[]> {
    return this.db
      .getRepository(DischargeRequest)
      .find({ where: { episodeId: In([...ids]) }, order: { requestedAt: 'DESC' } });
  }

  private async whyNoDecision(episodeId: string): Promise<Refusal> {
    const latest = await this.db
      .getRepository(Proposal)
      .findOne({ where: { episodeId, type: ProposalType.DISCHARGE }, order: { openedAt: 'DESC' } });
    if (!latest) return { reason: DischargeRefusal.NO_DISCHARGE_PROPOSAL };
    if (latest.status === ProposalStatus.OPEN) return { reason: DischargeRefusal.PROPOSAL_STILL_OPEN };
    if (latest.status !== ProposalStatus.APPROVED)
      return { reason: DischargeRefusal.PROPOSAL_NOT_APPROVED, reasonProposalStatus: latest.status };
    if (latest.usedAt) return { reason: DischargeRefusal.DECISION_USED };
    return { reason: DischargeRefusal.DECISION_EXPIRED };
  }
}
