import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CareEpisodeService,
  CollaborationService,
  DischargeService,
  DomainError,
  EndingReason,
  EpisodeEndingService,
  EpisodeKind,
  ProposalService,
  ProposalType,
  VoteChoice,
} from '../../libs/domain/src';
import { Fixtures, TestStaff } from './fixtures';

/** A small seeded generator, so that a failing interleaving can be replayed from its seed. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  };
}

export interface ScenarioOutcome {
  seed: number;
  episodeId: string;
  requestIds: string[];
  /** Errors that are not expected refusals (DomainError): deadlocks, crashes. */
  unexpectedErrors: string[];
}

/**
 * One randomised interleaving around one care episode: a discharge proposal, votes and vote changes
 * from the electorate, membership changes, an occasional death, a short deadline now and then, and
 * duplicate discharge requests, all fired concurrently against the real services, queue and worker.
 */
export async function runScenario(
  app: INestApplicationContext,
  f: Fixtures,
  seed: number,
  setting: { municipalityVoter: TestStaff; regionVoter: TestStaff; regionVoter2: TestStaff; spare: TestStaff[] },
): Promise<ScenarioOutcome> {
  const rnd = random(seed);
  const proposals = app.get(ProposalService);
  const episodes = app.get(CareEpisodeService);
  const discharges = app.get(DischargeService);
  const endings = app.get(EpisodeEndingService);
  const collaboration = app.get(CollaborationService);
  const unexpectedErrors: string[] = [];
  const attempt = async (op: () => Promise<unknown>) => {
    try {
      await op();
    } catch (error) {
      if (!(error instanceof DomainError))
        unexpectedErrors.push(`${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`);
    }
  };

  const { municipalityVoter: m, regionVoter: r, regionVoter2: r2 } = setting;
  const person = await f.person(m);
  await collaboration.addMember(person.id, { staffId: r.staff.id, role: 'psychiatrist', votingRepresentative: true });
  const voters = [m, r];
  if (rnd.chance(0.4)) {
    await collaboration.addMember(person.id, { staffId: r2.staff.id, role: 'nurse', votingRepresentative: true });
    voters.push(r2);
  }
  const episode = await episodes.open(r.actor, person.id, { kind: EpisodeKind.PSYCHIATRY });
  const shortDeadline = rnd.chance(0.15);
  const shortBy = rnd.int(150, 400);
  const openProposal = (ms: number) =>
    proposals.open(r.actor, {
      personId: person.id,
      type: ProposalType.DISCHARGE,
      title: `scenario ${seed}`,
      rationale: 'randomised interleaving',
      deadline: new Date(Date.now() + ms),
      episodeId: episode.id,
    });
  // A short deadline may pass before a busy machine has opened the proposal (refused as bad input): then
  // it is tried again, each time twice as far ahead, so the scenario never depends on the machine's speed.
  let proposal: Awaited<ReturnType<typeof openProposal>> | undefined;
  for (let ahead = shortDeadline ? shortBy : 3_600_000; !proposal; ahead *= 2) {
    proposal = await openProposal(ahead).catch((error: unknown) => {
      if (error instanceof DomainError && error.field === 'deadline' && ahead < 60_000) return undefined;
      throw error;
    });
  }

  const requestIds: string[] = [];
  const ops: Array<() => Promise<unknown>> = [];
  for (const voter of voters) {
    const changes = rnd.int(1, 3);
    for (let i = 0; i < changes; i++) {
      const agree = rnd.chance(0.8);
      ops.push(() =>
        proposals.vote(
          voter.actor,
          proposal.id,
          agree ? VoteChoice.AGREE : VoteChoice.DISAGREE,
          agree ? null : 'not yet',
        ),
      );
    }
  }
  const requests = rnd.int(1, 3);
  for (let i = 0; i < requests; i++)
    ops.push(async () => requestIds.push((await discharges.requestDischarge(r.actor, episode.id)).id));
  if (rnd.chance(0.3)) {
    const spare = rnd.pick(setting.spare);
    ops.push(() =>
      collaboration.addMember(person.id, { staffId: spare.staff.id, role: 'peer', votingRepresentative: false }),
    );
  }
  // The death is recorded by the region, whose episode is at stake (each organisation ends only its own).
  if (rnd.chance(0.05))
    ops.push(() => endings.recordEnding(r.actor, person.id, EndingReason.DIED, 'synthetic death notice'));
  if (rnd.chance(0.3)) {
    // A second round: a new proposal after the first closed, agreed at once, and another request.
    ops.push(async () => {
      await new Promise((res) => setTimeout(res, rnd.int(0, 30)));
      const again = await proposals.open(r.actor, {
        personId: person.id,
        type: ProposalType.DISCHARGE,
        title: 'again',
        rationale: 'r',
        deadline: new Date(Date.now() + 3_600_000),
        episodeId: episode.id,
      });
      for (const voter of voters) await proposals.vote(voter.actor, again.id, VoteChoice.AGREE);
      requestIds.push((await discharges.requestDischarge(r.actor, episode.id)).id);
    });
  }

  // Shuffle and fire everything at once, each after a small random delay.
  for (let i = ops.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [ops[i], ops[j]] = [ops[j], ops[i]];
  }
  await Promise.all(ops.map((op) => new Promise((res) => setTimeout(res, rnd.int(0, 25))).then(() => attempt(op))));
  return { seed, episodeId: episode.id, requestIds, unexpectedErrors };
}

export interface Audit {
  episodes: number;
  discharged: number;
  /** Episodes discharged without a valid approval, judged from the raw vote history, not the service's state. */
  violations: string[];
  /** Requests that did not end exactly once (still pending, or executed while the episode is not discharged). */
  requestProblems: string[];
}

/**
 * Checks, from the stored history alone, that no episode was discharged without the group's
 * agreement: the consumed decision must be a DISCHARGE proposal for that episode, approved before
 * its deadline and before the discharge, whose every elector's last vote before approval was
 * AGREE, whose membership did not change while it was open, used once within its validity.
 */
export async function auditDischarges(db: DataSource, episodeIds: string[]): Promise<Audit> {
  const violations: string[] = [];
  const requestProblems: string[] = [];
  const episodes: Array<{
    id: string;
    status: string;
    ended_at: Date | null;
    discharge_decision_id: string | null;
    person_id: string;
  }> = await db.query(
    `SELECT id, status, ended_at, discharge_decision_id, person_id FROM care_episode WHERE id = ANY($1::uuid[])`,
    [episodeIds],
  );
  for (const e of episodes) {
    const executed: Array<{ id: string }> = await db.query(
      `SELECT id FROM discharge_request WHERE episode_id = $1 AND status = 'EXECUTED'`,
      [e.id],
    );
    const pending: Array<{ id: string }> = await db.query(
      `SELECT id FROM discharge_request WHERE episode_id = $1 AND (status = 'PENDING' OR decided_at IS NULL)`,
      [e.id],
    );
    if (pending.length) requestProblems.push(`${e.id}: ${pending.length} request(s) never decided`);
    if ((e.status === 'DISCHARGED') !== (executed.length === 1) || executed.length > 1) {
      requestProblems.push(`${e.id}: status ${e.status} with ${executed.length} executed request(s)`);
    }
    if (e.status !== 'DISCHARGED') continue;
    const [p] = await db.query(`SELECT * FROM proposal WHERE id = $1`, [e.discharge_decision_id]);
    const why: string[] = [];
    if (!p) why.push('no decision');
    else {
      if (p.type !== 'DISCHARGE' || p.episode_id !== e.id) why.push('decision is not a discharge of this episode');
      if (p.status !== 'APPROVED') why.push(`decision is ${p.status}`);
      if (!(p.closed_at <= p.deadline)) why.push('approved after the deadline');
      if (!(p.closed_at <= e.ended_at!)) why.push('discharged before the approval');
      if (!p.used_at || !(p.used_at <= p.approval_valid_until)) why.push('decision not used within its validity');
      const electors: Array<{ staff_id: string }> = await db.query(
        `SELECT staff_id FROM proposal_elector WHERE proposal_id = $1`,
        [p.id],
      );
      const principals = await db.query(`SELECT DISTINCT principal FROM proposal_elector WHERE proposal_id = $1`, [
        p.id,
      ]);
      if (electors.length === 0 || principals.length < 2) why.push('electorate lacks a principal');
      for (const el of electors) {
        const [last] = await db.query(
          // Compared in SQL: the stamps have microseconds, which a JavaScript Date would cut off.
          `SELECT choice FROM vote_event WHERE proposal_id = $1 AND staff_id = $2 AND cast_at <= (SELECT closed_at FROM proposal WHERE id = $1) ORDER BY id DESC LIMIT 1`,
          [p.id, el.staff_id],
        );
        if (last?.choice !== 'AGREE') why.push(`elector ${el.staff_id} had not agreed (${last?.choice ?? 'no vote'})`);
      }
      // Membership changes are timed inside the group lock, as approvals are: none may fall inside the open period.
      const changed = await db.query(
        `SELECT c.membership_version, c.changed_at FROM group_membership_change c
          WHERE c.group_id = $1 AND c.membership_version > $2 AND c.changed_at < (SELECT closed_at FROM proposal WHERE id = $3)`,
        [p.group_id, p.membership_version, p.id],
      );
      if (changed.length) why.push(`membership changed (version ${changed[0].membership_version}) before the approval`);
      const reused = await db.query(`SELECT count(*)::int AS n FROM care_episode WHERE discharge_decision_id = $1`, [
        p.id,
      ]);
      if (reused[0].n !== 1) why.push('decision used more than once');
    }
    if (why.length) violations.push(`${e.id}: ${why.join('; ')}`);
  }
  return {
    episodes: episodes.length,
    discharged: episodes.filter((e) => e.status === 'DISCHARGED').length,
    violations,
    requestProblems,
  };
}
