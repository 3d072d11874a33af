import { assertNamedPerson } from './named-person.rule';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../actor';
import { CollaborationGroup } from '../collaboration/collaboration-group.entity';
import { CollaborationService, isActiveMember } from '../collaboration/collaboration.service';
import { GroupMember } from '../collaboration/group-member.entity';
import { APP_CONFIG, AppConfig, JobName, JobQueue } from '@samverka/infrastructure';
import { CareEpisode } from '../episodes/care-episode.entity';
import { EndingReason, EpisodeStatus } from '../episodes/episode.enums';
import { DomainError, DomainErrorCode, DomainErrorReason } from '../errors/domain-error';
import { NoticeKind } from '../notifications/notification-kind';
import { notifyGroupParams, notifyGroupSql, NotificationService } from '../notifications/notification.service';
import { StaffMember } from '../staff/staff-member.entity';
import { today } from '../time';
import { Ballot, evaluateProposal, missingPrincipals } from './consensus';
import { ProposalCloseReason, ProposalStatus, ProposalType, VoteChoice } from './decision.enums';
import { DecisionEvent, decisionEvent, DecisionEventBus, DecisionEventKind } from './decision-events';
import { ProposalElector } from './proposal-elector.entity';
import { Proposal } from './proposal.entity';
import { VoteEvent } from './vote-event.entity';
import { entityColumns } from '../database/entity-sql';
import { sql } from '../database/sql';

export interface NewProposal {
  personId: string;
  type: ProposalType;
  title: string;
  rationale: string;
  deadline: Date;
  episodeId?: string | null;
}

/** The proposals about the persons $1, latest first (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const PROPOSALS_OF_PERSONS_SQL = `SELECT ${entityColumns(Proposal, 'p')} FROM proposal p WHERE p.person_id = ANY($1::uuid[]) ORDER BY p.opened_at DESC, p.id`;

/** The electors of the proposals $1, by principal. */
export const ELECTORS_OF_PROPOSALS_SQL = `SELECT ${entityColumns(ProposalElector, 'e')} FROM proposal_elector e WHERE e.proposal_id = ANY($1::uuid[]) ORDER BY e.principal, e.staff_id`;

/**
 * Casts the vote of $2 on the locked proposal $1 ($3 choice, $4 comment, $5 when), records it in the vote
 * history, and answers the electorate's ballots after it (the caster's marked `mine`; none if $2 is not an
 * elector, and then nothing changed). The database's triggers still refuse a vote on a closed proposal.
 */
const CAST_VOTE_SQL = `
  WITH cast_vote AS (
    UPDATE proposal_elector SET choice = $3, comment = $4, voted_at = $5
     WHERE proposal_id = $1 AND staff_id = $2
    RETURNING proposal_id, staff_id, organisation_id, profession, principal, choice, comment
  ), recorded AS (
    INSERT INTO vote_event (proposal_id, staff_id, organisation_id, profession, choice, comment)
    SELECT proposal_id, staff_id, organisation_id, profession, choice, comment FROM cast_vote
  )
  SELECT e.principal, e.choice, false AS mine FROM proposal_elector e WHERE e.proposal_id = $1 AND e.staff_id <> $2
  UNION ALL
  SELECT c.principal, c.choice, true AS mine FROM cast_vote c`;

const MAX_DEADLINE_DAYS = 90;
const MAX_WITHDRAWAL_REASON = 2000;

/** What the group is told when a proposal is withdrawn (no personal data). */
export const PROPOSAL_WITHDRAWN = NoticeKind.PROPOSAL_WITHDRAWN;

/** Why open proposals are voided: the group changed, or the episode a discharge proposal would end ended otherwise. */
export type VoidReason =
  | { closeReason: ProposalCloseReason.MEMBERSHIP_CHANGED }
  | { closeReason: ProposalCloseReason.EPISODE_ENDED; endingReason: EndingReason };
const DAY_MS = 86_400_000;

/**
 * Joint decisions of a collaboration group. Lock order everywhere: group → episode → proposal,
 * so that votes, membership changes, expiry and discharges never deadlock one another.
 */
@Injectable()
export class ProposalService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly collaboration: CollaborationService,
    private readonly notifications: NotificationService,
    private readonly events: DecisionEventBus,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    // A membership change voids the group's open proposals in the same transaction.
    this.collaboration.onMembershipChange(async (tx, groupId) => {
      const voided = await this.voidOpen(tx, { groupId }, { closeReason: ProposalCloseReason.MEMBERSHIP_CHANGED });
      return () => this.events.publish(voided);
    });
  }

  async open(actor: Actor, input: NewProposal): Promise<Proposal> {
    assertNamedPerson(actor, 'make a proposal');
    const now = Date.now();
    if (input.deadline.getTime() <= now)
      throw DomainError.invalid(
        'deadline',
        'The deadline must be in the future',
        DomainErrorReason.DEADLINE_NOT_IN_FUTURE,
      );
    if (input.deadline.getTime() > now + MAX_DEADLINE_DAYS * DAY_MS) {
      throw DomainError.invalid(
        'deadline',
        `The deadline may be at most ${MAX_DEADLINE_DAYS} days ahead`,
        DomainErrorReason.DEADLINE_TOO_FAR,
        { maxDays: MAX_DEADLINE_DAYS },
      );
    }
    if (input.type === ProposalType.DISCHARGE && !input.episodeId)
      throw DomainError.invalid(
        'episodeId',
        'A discharge proposal must name the care episode it would end',
        DomainErrorReason.EPISODE_REQUIRED,
      );
    if (input.type !== ProposalType.DISCHARGE && input.episodeId)
      throw DomainError.invalid(
        'episodeId',
        'Only a discharge proposal names a care episode',
        DomainErrorReason.EPISODE_NOT_ALLOWED,
      );

    const proposal = await this.db.transaction(async (tx) => {
      const group = await tx
        .getRepository(CollaborationGroup)
        .findOne({ where: { personId: input.personId }, lock: { mode: 'pessimistic_read' } });
      if (!group) throw DomainError.notFound();
      const members = (await tx.getRepository(GroupMember).findBy({ groupId: group.id })).filter((m) =>
        isActiveMember(m),
      );
      if (!members.some((m) => m.staffId === actor.staffId)) {
        throw DomainError.forbidden('Only a member of the collaboration group can make a proposal');
      }
      if (input.episodeId) {
        const episode = await tx
          .getRepository(CareEpisode)
          .findOne({ where: { id: input.episodeId }, lock: { mode: 'pessimistic_read' } });
        if (!episode || episode.personId !== input.personId)
          throw DomainError.invalid('episodeId', 'No care episode of this person with that id');
        if (episode.status !== EpisodeStatus.ACTIVE)
          throw DomainError.invalid(
            'episodeId',
            'The care episode has already ended',
            DomainErrorReason.EPISODE_NOT_ACTIVE,
          );
      }
      // One vote per staff member, even if overlapping periods give them two memberships.
      const voters = [...new Map(members.filter((m) => m.votingRepresentative).map((m) => [m.staffId, m])).values()];
      const missing = missingPrincipals(voters);
      if (missing.length > 0) {
        throw DomainError.invalidState(
          `A proposal needs a voting representative of both the municipality and the region in the group; missing: ${missing.join(', ')}`,
          DomainErrorReason.BOTH_PRINCIPALS_REQUIRED,
          { missing: missing.join(',') },
        );
      }
      // Taken after the group lock: the proposal opens under the membership it has just read. A deadline
      // that passed while the locks were awaited is refused here, not left to the table's check.
      const openedAt = new Date();
      if (input.deadline.getTime() <= openedAt.getTime())
        throw DomainError.invalid(
          'deadline',
          'The deadline passed before the proposal could be opened; choose a later one',
          DomainErrorReason.DEADLINE_NOT_IN_FUTURE,
        );
      const created = await tx
        .getRepository(Proposal)
        .save(
          tx.getRepository(Proposal).create({
            groupId: group.id,
            personId: input.personId,
            type: input.type,
            title: input.title,
            rationale: input.rationale,
            proposedBy: actor.staffId,
            openedAt,
            deadline: input.deadline,
            episodeId: input.episodeId ?? null,
            membershipVersion: group.membershipVersion,
            status: ProposalStatus.OPEN,
          }),
        )
        .catch((error: { code?: string; constraint?: string }) => {
          if (error.code === '23505' && error.constraint === 'proposal_open_discharge_key') {
            throw DomainError.conflict('There is already an open discharge proposal for this episode');
          }
          throw error;
        });
      const staff = await tx.getRepository(StaffMember).findBy({ id: In(voters.map((v) => v.staffId)) });
      const staffById = new Map(staff.map((s) => [s.id, s]));
      await tx.getRepository(ProposalElector).insert(
        voters.map((v) => ({
          proposalId: created.id,
          staffId: v.staffId,
          principal: v.principal,
          organisationId: staffById.get(v.staffId)!.organisationId,
          profession: staffById.get(v.staffId)!.profession,
          choice: null,
          comment: null,
          votedAt: null,
        })),
      );
      await this.notifications.notifyGroup(tx, input.personId, NoticeKind.PROPOSAL_OPENED, {
        proposalTitle: input.title,
      });
      return created;
    });
    await this.jobs.enqueue(
      JobName.PROPOSAL_DEADLINE,
      { proposalId: proposal.id },
      {
        jobId: `deadline-${proposal.id}`,
        delay: Math.max(0, proposal.deadline.getTime() - Date.now() + 1000),
      },
    );
    await this.events.publish([
      decisionEvent(DecisionEventKind.PROPOSAL_OPENED, proposal.personId, {
        proposalId: proposal.id,
        status: proposal.status,
      }),
    ]);
    return proposal;
  }

  /** Casts or changes a vote. The vote that completes unanimous agreement approves the proposal at once. */
  async vote(actor: Actor, proposalId: string, choice: VoteChoice, comment?: string | null): Promise<Proposal> {
    assertNamedPerson(actor, 'vote');
    const text = comment?.trim() || null;
    if (choice === VoteChoice.DISAGREE && !text)
      throw DomainError.invalid(
        'comment',
        'Say why you disagree: a comment is required',
        DomainErrorReason.COMMENT_REQUIRED_TO_DISAGREE,
      );
    const events: DecisionEvent[] = [];
    const proposal = await this.db.transaction(async (tx) => {
      const { proposal, membershipVersion } = await this.lockForChange(tx, proposalId);
      if (proposal.status !== ProposalStatus.OPEN)
        throw DomainError.invalidState(
          `The proposal is ${proposal.status}; votes can no longer change`,
          DomainErrorReason.PROPOSAL_CLOSED,
          { status: proposal.status },
        );
      if (Date.now() > proposal.deadline.getTime())
        throw DomainError.invalidState(
          'The deadline has passed; the proposal is being closed',
          DomainErrorReason.PROPOSAL_CLOSED,
          { status: ProposalStatus.OPEN },
        );
      // The vote, its record and the whole electorate after it, in one statement (the proposal is locked, so
      // no other ballot changes meanwhile). Someone outside the electorate changes nothing and is refused.
      const ballots = await sql<Ballot & { mine: boolean }>(tx, CAST_VOTE_SQL, [
        proposalId,
        actor.staffId,
        choice,
        text,
        new Date(),
      ]);
      if (!ballots.some((b) => b.mine)) throw DomainError.forbidden('You are not in the electorate of this proposal');
      events.push(
        decisionEvent(DecisionEventKind.VOTE_CAST, proposal.personId, { proposalId, status: proposal.status }),
      );
      const closed = await this.settle(tx, proposal, membershipVersion, ballots);
      if (closed) events.push(closed);
      return proposal;
    });
    await this.events.publish(events);
    return proposal;
  }

  /**
   * The proposer, or staff of the proposer's organisation (who carry its work on), withdraws an open
   * proposal: it closes as WITHDRAWN with the reason kept, and can then never be approved or used.
   * The caller has already checked write access to the person (which refuses emergency access).
   */
  async withdraw(actor: Actor, proposalId: string, reason: string): Promise<Proposal> {
    assertNamedPerson(actor, 'withdraw a proposal');
    const text = reason.trim();
    if (text.length === 0 || text.length > MAX_WITHDRAWAL_REASON)
      throw DomainError.invalid('reason', `Say why the proposal is withdrawn (1-${MAX_WITHDRAWAL_REASON} characters)`);
    const proposal = await this.db.transaction(async (tx) => {
      const { proposal } = await this.lockForChange(tx, proposalId);
      const proposer = await tx.getRepository(StaffMember).findOneByOrFail({ id: proposal.proposedBy });
      if (actor.staffId !== proposal.proposedBy && actor.organisationId !== proposer.organisationId) {
        throw DomainError.forbidden(
          "Only the proposer or staff of the proposer's organisation may withdraw a proposal",
        );
      }
      if (proposal.status !== ProposalStatus.OPEN)
        throw DomainError.invalidState(`The proposal is ${proposal.status}; only an open proposal can be withdrawn`);
      const [closed] = await sql<{ closed_at: Date }>(
        tx,
        `UPDATE proposal SET status = $2, closed_at = clock_timestamp(), close_reason = $3, withdrawal_reason = $4 WHERE id = $1 RETURNING closed_at`,
        [proposal.id, ProposalStatus.WITHDRAWN, ProposalCloseReason.WITHDRAWN, text],
      );
      proposal.status = ProposalStatus.WITHDRAWN;
      proposal.closedAt = closed.closed_at;
      proposal.closeReason = ProposalCloseReason.WITHDRAWN;
      proposal.withdrawalReason = text;
      // The reason is free text and may name the person: the group is told only that it was withdrawn.
      await this.notifications.notifyGroup(tx, proposal.personId, PROPOSAL_WITHDRAWN, {
        closeReason: ProposalCloseReason.WITHDRAWN,
      });
      return proposal;
    });
    await this.jobs.removeMany(JobName.PROPOSAL_DEADLINE, [`deadline-${proposal.id}`]);
    await this.events.publish([
      decisionEvent(DecisionEventKind.PROPOSAL_CLOSED, proposal.personId, {
        proposalId: proposal.id,
        episodeId: proposal.episodeId,
        status: proposal.status,
      }),
    ]);
    return proposal;
  }

  /** Closes a proposal whose deadline has passed (the worker calls this at the deadline). */
  async closeIfDue(proposalId: string): Promise<Proposal | null> {
    const events: DecisionEvent[] = [];
    const proposal = await this.db.transaction(async (tx) => {
      const locked = await this.lockForChange(tx, proposalId).catch((e: DomainError) => {
        if (e.code === DomainErrorCode.NOT_FOUND) return null;
        throw e;
      });
      if (!locked) return null;
      const { proposal, membershipVersion } = locked;
      if (proposal.status !== ProposalStatus.OPEN || Date.now() <= proposal.deadline.getTime()) return proposal;
      const ballots = await tx.getRepository(ProposalElector).findBy({ proposalId: proposal.id });
      const closed = await this.settle(tx, proposal, membershipVersion, ballots);
      if (closed) events.push(closed);
      return proposal;
    });
    await this.events.publish(events);
    return proposal;
  }

  /** Ids of open proposals past their deadline (for the sweep). */
  async overdueIds(limit = 500): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      this.db,
      `SELECT id FROM proposal WHERE status = 'OPEN' AND deadline < now() ORDER BY deadline LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Groups with an open proposal whose membership has changed by the calendar since it opened (a member
   * whose period ended, or one whose period began). Membership changes made through the service are
   * caught at once; these are found by the worker's sweep.
   */
  async groupsChangedByCalendar(): Promise<string[]> {
    const rows = await sql<{ group_id: string }>(
      this.db,
      `SELECT DISTINCT p.group_id FROM proposal p JOIN group_member m ON m.group_id = p.group_id
        WHERE p.status = 'OPEN'
          AND ((m.valid_to IS NOT NULL AND m.valid_to < $1 AND m.valid_to >= (p.opened_at AT TIME ZONE 'Europe/Stockholm')::date)
            OR (m.valid_from <= $1 AND m.valid_from > (p.opened_at AT TIME ZONE 'Europe/Stockholm')::date))`,
      [today()],
    );
    return rows.map((r) => r.group_id);
  }

  /** Voids open proposals (of a group, or about given episodes) inside the caller's transaction. */
  async voidOpen(
    tx: EntityManager,
    where: { groupId: string } | { episodeIds: string[] },
    reason: VoidReason,
  ): Promise<DecisionEvent[]> {
    const endingReason = 'endingReason' in reason ? reason.endingReason : null;
    const rows = await sql<{ id: string; person_id: string }>(
      tx,
      `UPDATE proposal SET status = 'VOIDED', closed_at = now(), close_reason = $2, close_ending_reason = $3
        WHERE status = 'OPEN' AND ${'groupId' in where ? 'group_id = $1' : 'episode_id = ANY($1::uuid[])'}
        RETURNING id, person_id`,
      ['groupId' in where ? where.groupId : where.episodeIds, reason.closeReason, endingReason],
    );
    for (const personId of new Set(rows.map((r) => r.person_id))) {
      await this.notifications.notifyGroup(tx, personId, NoticeKind.PROPOSAL_VOIDED, {
        closeReason: reason.closeReason,
        ...(endingReason ? { endingReason } : {}),
      });
    }
    return rows.map((r) =>
      decisionEvent(DecisionEventKind.PROPOSAL_CLOSED, r.person_id, {
        proposalId: r.id,
        status: ProposalStatus.VOIDED,
      }),
    );
  }

  async get(id: string): Promise<Proposal> {
    const proposal = await this.db.getRepository(Proposal).findOneBy({ id });
    if (!proposal) throw DomainError.notFound('proposal');
    return proposal;
  }

  byPersonIds(personIds: readonly string[]): Promise<Proposal[]> {
    return sql<Proposal>(this.db, PROPOSALS_OF_PERSONS_SQL, [personIds]);
  }

  electorsByProposalIds(ids: readonly string[]): Promise<ProposalElector[]> {
    return sql<ProposalElector>(this.db, ELECTORS_OF_PROPOSALS_SQL, [ids]);
  }

  voteHistoryByProposalIds(ids: readonly string[]): Promise<VoteEvent[]> {
    return this.db.getRepository(VoteEvent).find({ where: { proposalId: In([...ids]) }, order: { id: 'ASC' } });
  }

  /**
   * Locks the group (shared: membership changes wait) and then the proposal, in the global lock order.
   * The group's membership version is read with its lock, and cannot change while it is held.
   */
  private async lockForChange(
    tx: EntityManager,
    proposalId: string,
  ): Promise<{ proposal: Proposal; membershipVersion: number }> {
    // A proposal never moves to another group, so its group can be found without locking the proposal first.
    const [group] = await sql<{ membership_version: number }>(
      tx,
      'SELECT membership_version FROM collaboration_group WHERE id = (SELECT group_id FROM proposal WHERE id = $1) FOR SHARE',
      [proposalId],
    );
    if (!group) throw DomainError.notFound('proposal');
    const proposal = await tx
      .getRepository(Proposal)
      .findOneOrFail({ where: { id: proposalId }, lock: { mode: 'pessimistic_write' } });
    return { proposal, membershipVersion: group.membership_version };
  }

  /** Applies the consensus rule to a locked open proposal (its ballots and its locked group's version); closes it if the rule says so. */
  private async settle(
    tx: EntityManager,
    proposal: Proposal,
    membershipVersion: number,
    ballots: Ballot[],
  ): Promise<DecisionEvent | null> {
    const now = new Date();
    const status = evaluateProposal({
      ballots,
      deadline: proposal.deadline,
      now,
      membershipChanged: membershipVersion !== proposal.membershipVersion,
    });
    if (status === ProposalStatus.OPEN) return null;
    proposal.status = status;
    proposal.closeReason = CLOSE_REASONS[status];
    if (status === ProposalStatus.APPROVED && proposal.type === ProposalType.DISCHARGE) {
      proposal.approvalValidUntil = new Date(now.getTime() + this.config.DISCHARGE_APPROVAL_VALID_DAYS * DAY_MS);
    }
    // One reading of the database's clock decides and stamps the close: the closing vote was stamped by that clock
    // (clock_timestamp(), in microseconds, by the statement before), so the close never falls before it. An approval
    // needs that moment at or before the deadline, as the database's guard (proposal_guard) and the discharge audit
    // demand: the JavaScript clock above allowed it a moment earlier (and a vote may wait for the proposal's lock),
    // so if the deadline has passed meanwhile the proposal expires instead. The group is told in the same statement,
    // of whichever close it was.
    const closes: Array<Exclude<ProposalStatus, ProposalStatus.OPEN>> =
      status === ProposalStatus.APPROVED ? [status, ProposalStatus.EXPIRED] : [status];
    const notices = closes.map((close, i) => {
      const first = 6 + i * 5;
      return {
        sql: `, notified_${i} AS (${notifyGroupSql(first)} AND (SELECT status FROM closed) = $${first + 4})`,
        params: [
          ...notifyGroupParams(proposal.personId, CLOSE_NOTICES[close], {
            proposalTitle: proposal.title,
            closeReason: CLOSE_REASONS[close],
          }),
          close,
        ],
      };
    });
    const [closed] = await sql<{ status: Exclude<ProposalStatus, ProposalStatus.OPEN>; closedAt: Date }>(
      tx,
      `WITH clock AS (SELECT clock_timestamp() AS at, $2 = 'APPROVED' AS approving),
       closed AS (
         UPDATE proposal p
            SET status = CASE WHEN approving AND clock.at > p.deadline THEN 'EXPIRED' ELSE $2 END,
                close_reason = CASE WHEN approving AND clock.at > p.deadline THEN $5 ELSE $3 END,
                approval_valid_until = CASE WHEN approving AND clock.at > p.deadline THEN NULL ELSE $4::timestamptz END,
                closed_at = clock.at
           FROM clock WHERE p.id = $1
         RETURNING p.status, p.closed_at AS "closedAt"
       )${notices.map((n) => n.sql).join('')}
       SELECT status, "closedAt" FROM closed`,
      [
        proposal.id,
        status,
        proposal.closeReason,
        proposal.approvalValidUntil,
        CLOSE_REASONS[ProposalStatus.EXPIRED],
        ...notices.flatMap((n) => n.params),
      ],
    );
    proposal.status = closed.status;
    proposal.closeReason = CLOSE_REASONS[closed.status];
    if (closed.status !== ProposalStatus.APPROVED) proposal.approvalValidUntil = null;
    proposal.closedAt = closed.closedAt;
    return decisionEvent(DecisionEventKind.PROPOSAL_CLOSED, proposal.personId, {
      proposalId: proposal.id,
      episodeId: proposal.episodeId,
      status: closed.status,
    });
  }
}

/** Why a proposal the consensus rule closes closed (the rule never answers OPEN or WITHDRAWN here). */
const CLOSE_REASONS: Record<Exclude<ProposalStatus, ProposalStatus.OPEN>, ProposalCloseReason> = {
  [ProposalStatus.APPROVED]: ProposalCloseReason.ALL_AGREED,
  [ProposalStatus.REJECTED]: ProposalCloseReason.DISAGREED_AT_DEADLINE,
  [ProposalStatus.EXPIRED]: ProposalCloseReason.NOT_ALL_VOTED,
  [ProposalStatus.VOIDED]: ProposalCloseReason.MEMBERSHIP_CHANGED,
  [ProposalStatus.WITHDRAWN]: ProposalCloseReason.WITHDRAWN,
};

const CLOSE_NOTICES: Record<Exclude<ProposalStatus, ProposalStatus.OPEN>, NoticeKind> = {
  [ProposalStatus.APPROVED]: NoticeKind.PROPOSAL_APPROVED,
  [ProposalStatus.REJECTED]: NoticeKind.PROPOSAL_REJECTED,
  [ProposalStatus.EXPIRED]: NoticeKind.PROPOSAL_EXPIRED,
  [ProposalStatus.VOIDED]: NoticeKind.PROPOSAL_VOIDED,
  [ProposalStatus.WITHDRAWN]: NoticeKind.PROPOSAL_WITHDRAWN,
};
