import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../actor';
import { DecisionEvent, decisionEvent, DecisionEventBus, DecisionEventKind } from '../decisions/decision-events';
import { ProposalStatus, ProposalType } from '../decisions/decision.enums';
import { assertNamedPerson } from '../decisions/named-person.rule';
import { Proposal } from '../decisions/proposal.entity';
import { CareEpisode } from '../episodes/care-episode.entity';
import { EpisodeStatus } from '../episodes/episode.enums';
import { DomainError } from '../errors/domain-error';
import { JobName, JobQueue } from '@samverka/infrastructure';
import { NoticeKind } from '../notifications/notification-kind';
import { notifyGroupParams, notifyGroupSql } from '../notifications/notification.service';
import { DischargeRequest } from './discharge-request.entity';
import { DischargeRefusal, DischargeRequestStatus } from './discharge.enums';
import { sql } from '../database/sql';

/** Why a discharge request is refused: the code, and the status it names. */
export interface Refusal {
  reason: DischargeRefusal;
  reasonEpisodeStatus?: EpisodeStatus;
  reasonProposalStatus?: ProposalStatus;
}

/** A request older than this without a decision had its job lost; the sweep enqueues it again. */
export const STALE_REQUEST_SECONDS = 30;

/**
 * An approved DISCHARGE decision that may still be used: not used before, not past its validity. The one
 * condition the worker executes a discharge with (the database's care_episode_guard checks it again) and
 * the client is told of; `alias` names the proposal table.
 */
export const USABLE_DISCHARGE_DECISION = (alias: string) =>
  `${alias}.type = '${ProposalType.DISCHARGE}' AND ${alias}.status = '${ProposalStatus.APPROVED}' AND ${alias}.used_at IS NULL AND ${alias}.approval_valid_until > now()`;

/**
 * Discharge: a principal ends its care episode only by consuming the collaboration group's approved
 * DISCHARGE decision. Where episodes and decisions meet, so that neither has to know the other's rules.
 */
@Injectable()
export class DischargeService {
  constructor(
    private readonly db: DataSource,
    private readonly events: DecisionEventBus,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Records a discharge request. Refuses at once only what is plainly wrong (another organisation's
   * episode, an episode that has ended). When the group's approved decision is there to be used, the
   * request is executed in its own transaction, so the episode is discharged when the request commits;
   * otherwise it stays PENDING and the worker decides it (and rejects it with the reason). Either way the
   * episode is discharged only by consuming a valid approved decision, which the database checks again.
   */
  async requestDischarge(actor: Actor, episodeId: string): Promise<DischargeRequest> {
    assertNamedPerson(actor, 'ask to discharge an episode');
    const events: DecisionEvent[] = [];
    const request = await this.db.transaction(async (tx) => {
      // Locked as the worker locks it (episode, then decision), so a request and an ending or another request wait in turn.
      const episode = await tx
        .getRepository(CareEpisode)
        .findOne({ where: { id: episodeId }, lock: { mode: 'pessimistic_write' } });
      if (!episode) throw DomainError.notFound('care episode');
      if (episode.organisationId !== actor.organisationId) {
        throw DomainError.forbidden('Only staff of the organisation holding the episode can ask to discharge it');
      }
      if (episode.status !== EpisodeStatus.ACTIVE)
        throw DomainError.invalidState(`The episode is already ${episode.status}`);
      const repo = tx.getRepository(DischargeRequest);
      const request = await repo.save(
        repo.create({
          episodeId,
          requestedBy: actor.staffId,
          status: DischargeRequestStatus.PENDING,
          requestedAt: new Date(),
        }),
      );
      events.push(
        decisionEvent(DecisionEventKind.DISCHARGE_REQUESTED, episode.personId, {
          episodeId,
          requestId: request.id,
          status: request.status,
        }),
      );
      const decision = await this.usableDecision(tx, episode.id);
      if (!decision) return request;
      const executed = await this.discharge(tx, request, episode, decision);
      events.push(executed.event);
      return executed.request;
    });
    // Recorded first, enqueued second: if the enqueue is lost, the sweep finds the pending request.
    if (request.status === DischargeRequestStatus.PENDING)
      await this.jobs.enqueue(
        JobName.DISCHARGE_EXECUTE,
        { requestId: request.id },
        { jobId: `discharge-${request.id}` },
      );
    await this.events.publish(events);
    return request;
  }

  /**
   * The authoritative check, run by the worker for a request left PENDING: in one transaction, with the
   * request, the episode and the decision locked, the episode is discharged only by consuming a valid
   * approved decision. A request that has already been decided is left alone, so each request ends exactly once.
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

      const decision = await this.usableDecision(tx, episode.id);
      if (!decision) return reject(await this.whyNoDecision(episode.id));
      const executed = await this.discharge(tx, request, episode, decision);
      event = executed.event;
      return executed.request;
    });
    if (event) await this.events.publish([event]);
    return decided;
  }

  /** The episode's usable approved DISCHARGE decision, locked (the episode is already locked: lock order episode → proposal). */
  private usableDecision(tx: EntityManager, episodeId: string): Promise<Proposal | null> {
    return tx
      .getRepository(Proposal)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.episode_id = :episodeId', { episodeId })
      .andWhere(USABLE_DISCHARGE_DECISION('p'))
      .orderBy('p.closed_at', 'DESC')
      .getOne();
  }

  /** Discharges the locked episode by consuming the locked decision, and records the pending request as executed by it. */
  private async discharge(
    tx: EntityManager,
    request: DischargeRequest,
    episode: CareEpisode,
    decision: Proposal,
  ): Promise<{ request: DischargeRequest; event: DecisionEvent }> {
    const decided = { status: DischargeRequestStatus.EXECUTED, decidedAt: new Date(), decisionId: decision.id };
    // Stamped by the database's clock, like the decision's close: executed in the request right after the
    // approval, a JavaScript stamp (milliseconds) could fall before the close it follows.
    // One statement: the episode discharged (its care_episode_guard trigger checks the decision once more and
    // marks it used, or fails the whole statement), the request executed, and the group told.
    await sql(
      tx,
      `WITH discharged AS (
         UPDATE care_episode SET status = '${EpisodeStatus.DISCHARGED}', ended_at = clock_timestamp(), discharge_decision_id = $2 WHERE id = $1
       ), executed AS (
         UPDATE discharge_request SET status = '${DischargeRequestStatus.EXECUTED}', decided_at = $4, decision_id = $2 WHERE id = $3
       ), notified AS (${notifyGroupSql(5)})
       SELECT 1`,
      [
        episode.id,
        decision.id,
        request.id,
        decided.decidedAt,
        ...notifyGroupParams(episode.personId, NoticeKind.EPISODE_DISCHARGED, { episodeKind: episode.kind }),
      ],
    );
    return {
      request: Object.assign(request, decided),
      event: decisionEvent(DecisionEventKind.DISCHARGE_EXECUTED, episode.personId, {
        episodeId: episode.id,
        requestId: request.id,
        proposalId: decision.id,
        status: EpisodeStatus.DISCHARGED,
      }),
    };
  }

  /** Requests still pending after STALE_REQUEST_SECONDS: their job was lost (crash between commit and enqueue). */
  async staleRequestIds(limit = 500): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      this.db,
      `SELECT id FROM discharge_request WHERE status = 'PENDING' AND requested_at < now() - make_interval(secs => $1) ORDER BY requested_at LIMIT $2`,
      [STALE_REQUEST_SECONDS, limit],
    );
    return rows.map((r) => r.id);
  }

  getRequest(id: string): Promise<DischargeRequest | null> {
    return this.db.getRepository(DischargeRequest).findOneBy({ id });
  }

  /** The episodes among `ids` that have a usable approved discharge decision now (what a request would execute with). */
  async withUsableDischargeDecision(ids: readonly string[]): Promise<Set<string>> {
    const rows = await sql<{ episode_id: string }>(
      this.db,
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
