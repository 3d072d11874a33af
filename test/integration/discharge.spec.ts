import { INestApplicationContext } from '@nestjs/common';
import {
  CareEpisode,
  CareEpisodeService,
  CollaborationService,
  DischargeRequestStatus,
  DischargeService,
  DomainError,
  EndingReason,
  EpisodeEndingService,
  EpisodeKind,
  EpisodeStatus,
  ProposalService,
  ProposalStatus,
  ProposalType,
  VoteChoice,
} from '../../libs/domain/src';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { startDomain } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const inADay = () => new Date(Date.now() + 86_400_000);

describe('joint decisions and discharge (real database)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let f: Fixtures;
  let proposals: ProposalService;
  let episodes: CareEpisodeService;
  let discharges: DischargeService;
  let endings: EpisodeEndingService;
  let collaboration: CollaborationService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startDomain(db);
    f = new Fixtures(db.dataSource);
    proposals = app.get(ProposalService);
    episodes = app.get(CareEpisodeService);
    discharges = app.get(DischargeService);
    endings = app.get(EpisodeEndingService);
    collaboration = app.get(CollaborationService);
  });

  afterAll(async () => {
    await app.get(JobQueue).queue(QueueName.DISCHARGE).obliterate({ force: true });
    await app.get(JobQueue).queue(QueueName.DECISIONS).obliterate({ force: true });
    await app?.close();
    await db?.drop();
  });

  /** A person whose group has a municipality and a region voter, and the psychiatric clinic's episode. */
  async function scene() {
    const s = await f.careSetting();
    const episode = await episodes.open(s.psychiatrist.actor, s.person.id, { kind: EpisodeKind.PSYCHIATRY });
    const propose = (by = s.psychiatrist) =>
      proposals.open(by.actor, {
        personId: s.person.id,
        type: ProposalType.DISCHARGE,
        title: 'Avsluta aktualitet',
        rationale: 'Stable for six months',
        deadline: inADay(),
        episodeId: episode.id,
      });
    const approve = async () => {
      const p = await propose();
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      return proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE);
    };
    return { ...s, episode, propose, approve };
  }

  const episodeRow = (id: string) => db.dataSource.getRepository(CareEpisode).findOneByOrFail({ id });

  describe('the consensus rule in the service', () => {
    it('refuses, as bad input naming the deadline, a deadline that passed while the proposal waited for the group lock', async () => {
      const s = await scene();
      const holder = db.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        // Another transaction holds the group; the proposal waits for it until its deadline has passed.
        await holder.query('SELECT 1 FROM collaboration_group WHERE person_id = $1 FOR UPDATE', [s.person.id]);
        const deadline = new Date(Date.now() + 200);
        const opening = proposals
          .open(s.psychiatrist.actor, {
            personId: s.person.id,
            type: ProposalType.DISCHARGE,
            title: 't',
            rationale: 'r',
            deadline,
            episodeId: s.episode.id,
          })
          .then(
            () => null,
            (error: unknown) => error,
          );
        while (Date.now() <= deadline.getTime() + 5) await new Promise((resolve) => setTimeout(resolve, 20));
        await holder.commitTransaction();
        const refused = await opening;
        expect(refused).toBeInstanceOf(DomainError);
        expect(refused).toMatchObject({ code: 'INVALID_INPUT', field: 'deadline' });
      } finally {
        await holder.release();
      }
    });

    it('approves on the last AGREE and makes the decision valid for a limited time', async () => {
      const s = await scene();
      const p = await s.propose();
      expect(p.status).toBe(ProposalStatus.OPEN);
      const afterOne = await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      expect(afterOne.status).toBe(ProposalStatus.OPEN);
      const approved = await proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE);
      expect(approved.status).toBe(ProposalStatus.APPROVED);
      const days = (approved.approvalValidUntil!.getTime() - approved.closedAt!.getTime()) / 86_400_000;
      expect(days).toBeCloseTo(db.config.DISCHARGE_APPROVAL_VALID_DAYS, 3);
    });

    it('fixes the electorate at opening: voting representatives only, nurses (non-voting) refused', async () => {
      const s = await scene();
      const p = await s.propose();
      const electors = await proposals.electorsByProposalIds([p.id]);
      expect(electors.map((e) => e.staffId).sort()).toEqual([s.socialWorker.staff.id, s.psychiatrist.staff.id].sort());
      await expect(proposals.vote(s.nurse.actor, p.id, VoteChoice.AGREE)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(proposals.vote(s.outsider.actor, p.id, VoteChoice.AGREE)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('requires a comment to disagree, keeps every vote change, and refuses votes once closed', async () => {
      const s = await scene();
      const p = await s.propose();
      await expect(proposals.vote(s.socialWorker.actor, p.id, VoteChoice.DISAGREE, '  ')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        field: 'comment',
      });
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.DISAGREE, 'Housing not yet secured');
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      const closed = await proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE);
      expect(closed.status).toBe(ProposalStatus.APPROVED);
      const history = await proposals.voteHistoryByProposalIds([p.id]);
      expect(history.map((v) => [v.staffId, v.choice, v.comment])).toEqual([
        [s.socialWorker.staff.id, 'DISAGREE', 'Housing not yet secured'],
        [s.socialWorker.staff.id, 'AGREE', null],
        [s.psychiatrist.staff.id, 'AGREE', null],
      ]);
      expect(history.every((v) => v.organisationId && v.profession && v.castAt)).toBe(true);
      await expect(
        proposals.vote(s.socialWorker.actor, p.id, VoteChoice.DISAGREE, 'changed my mind'),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it('cannot open unless both principals have a voting representative', async () => {
      const s = await f.careSetting();
      const onlyMunicipality = await f.person(s.socialWorker);
      await expect(
        proposals.open(s.socialWorker.actor, {
          personId: onlyMunicipality.id,
          type: ProposalType.OTHER,
          title: 't',
          rationale: 'r',
          deadline: inADay(),
        }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('REGION') });
    });

    it('voids an open proposal when the membership changes, and refuses votes on it', async () => {
      const s = await scene();
      const p = await s.propose();
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      const newcomer = await f.staff(s.psychiatry, 'PSYCHOLOGIST' as never);
      await collaboration.addMember(s.person.id, {
        staffId: newcomer.staff.id,
        role: 'psychologist',
        votingRepresentative: false,
      });
      const voided = await proposals.get(p.id);
      expect(voided.status).toBe(ProposalStatus.VOIDED);
      expect(voided.closeReason).toBe('MEMBERSHIP_CHANGED');
      await expect(proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
    });

    it('voids an open proposal when a membership ends by the calendar (found by the sweep)', async () => {
      const s = await scene();
      const p = await s.propose();
      const other = await scene();
      const untouched = await other.propose();
      // Three days later, the nurse's membership ended yesterday; nobody acted on the day it ended.
      await db.dataSource.query(
        `UPDATE proposal SET opened_at = now() - interval '3 days' WHERE id = ANY($1::uuid[])`,
        [[p.id, untouched.id]],
      );
      await db.dataSource.query(
        `UPDATE group_member SET valid_from = current_date - 10 WHERE group_id = ANY($1::uuid[])`,
        [[p.groupId, untouched.groupId]],
      );
      await db.dataSource.query(
        `UPDATE group_member SET valid_to = current_date - 1
          WHERE staff_id = $1 AND group_id = (SELECT id FROM collaboration_group WHERE person_id = $2)`,
        [s.nurse.staff.id, s.person.id],
      );
      const groups = await proposals.groupsChangedByCalendar();
      expect(groups).toContain(p.groupId);
      expect(groups).not.toContain(untouched.groupId);
      for (const groupId of groups) await collaboration.recordCalendarChange(groupId);
      expect((await proposals.get(p.id)).status).toBe(ProposalStatus.VOIDED);
      expect((await proposals.get(untouched.id)).status).toBe(ProposalStatus.OPEN);
      expect(await proposals.groupsChangedByCalendar()).not.toContain(p.groupId);
    });

    it('closes at the deadline: REJECTED with a disagreement, EXPIRED without all votes', async () => {
      const s = await scene();
      const inAnHour = () => new Date(Date.now() + 3_600_000);
      const rejected = await proposals.open(s.psychiatrist.actor, {
        personId: s.person.id,
        type: ProposalType.OTHER,
        title: 'a',
        rationale: 'r',
        deadline: inAnHour(),
      });
      await proposals.vote(s.socialWorker.actor, rejected.id, VoteChoice.DISAGREE, 'No');
      const expired = await proposals.open(s.psychiatrist.actor, {
        personId: s.person.id,
        type: ProposalType.OTHER,
        title: 'b',
        rationale: 'r',
        deadline: inAnHour(),
      });
      await proposals.vote(s.socialWorker.actor, expired.id, VoteChoice.AGREE);
      expect((await proposals.closeIfDue(rejected.id))?.status).toBe(ProposalStatus.OPEN); // not yet due
      // The deadline passes (time travel: the test switches the proposal guard off to move the date).
      await db.ownerQuery(`ALTER TABLE proposal DISABLE TRIGGER proposal_guard`);
      await db.dataSource.query(
        `UPDATE proposal SET opened_at = opened_at - interval '2 hours', deadline = now() - interval '1 second' WHERE id = ANY($1)`,
        [[rejected.id, expired.id]],
      );
      await db.ownerQuery(`ALTER TABLE proposal ENABLE TRIGGER proposal_guard`);
      await expect(proposals.vote(s.psychiatrist.actor, expired.id, VoteChoice.AGREE)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      expect((await proposals.closeIfDue(rejected.id))?.status).toBe(ProposalStatus.REJECTED);
      expect((await proposals.closeIfDue(expired.id))?.status).toBe(ProposalStatus.EXPIRED);
    });
  });

  describe('the discharge transaction', () => {
    it('discharges with a valid approved decision when the request commits, consuming it', async () => {
      const s = await scene();
      const decision = await s.approve();
      const request = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      expect(request).toMatchObject({ status: DischargeRequestStatus.EXECUTED, decisionId: decision.id });
      // The request's job, had it been enqueued, finds it decided and changes nothing.
      const done = await discharges.executeDischarge(request.id);
      expect(done).toMatchObject({ status: DischargeRequestStatus.EXECUTED, decisionId: decision.id });
      expect(await episodeRow(s.episode.id)).toMatchObject({
        status: EpisodeStatus.DISCHARGED,
        dischargeDecisionId: decision.id,
      });
      expect((await proposals.get(decision.id)).usedAt).not.toBeNull();
    });

    it('rejects, with the reason, when the group has not agreed', async () => {
      const s = await scene();
      const none = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      expect(await discharges.executeDischarge(none.id)).toMatchObject({
        status: 'REJECTED',
        reason: 'NO_DISCHARGE_PROPOSAL',
        reasonProposalStatus: null,
      });
      const p = await s.propose();
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      const open = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      expect(await discharges.executeDischarge(open.id)).toMatchObject({
        status: 'REJECTED',
        reason: 'PROPOSAL_STILL_OPEN',
      });
      expect((await episodeRow(s.episode.id)).status).toBe(EpisodeStatus.ACTIVE);
    });

    it('ends each request exactly once and uses a decision once', async () => {
      const s = await scene();
      // Asked before the group agreed: left pending for the worker.
      const first = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      expect(first.status).toBe('PENDING');
      await s.approve();
      const second = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      expect(second.status).toBe('EXECUTED');
      expect((await discharges.executeDischarge(second.id))?.status).toBe('EXECUTED'); // a repeated job changes nothing
      // The worker then finds the first request's episode discharged already: the decision is not used twice.
      expect(await discharges.executeDischarge(first.id)).toMatchObject({
        status: 'REJECTED',
        reason: 'EPISODE_NOT_ACTIVE',
        reasonEpisodeStatus: 'DISCHARGED',
      });
      await expect(discharges.requestDischarge(s.psychiatrist.actor, s.episode.id)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      const rows = await db.dataSource.query(
        `SELECT status, decided_at FROM discharge_request WHERE episode_id = $1 ORDER BY requested_at`,
        [s.episode.id],
      );
      expect(rows.map((r: { status: string }) => r.status)).toEqual(['REJECTED', 'EXECUTED']);
    });

    it('refuses a request from another organisation, and one for an ended episode, at once', async () => {
      const s = await scene();
      await expect(discharges.requestDischarge(s.socialWorker.actor, s.episode.id)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await endings.recordEnding(
        s.psychiatrist.actor,
        s.person.id,
        EndingReason.MOVED_OUT_OF_AREA,
        'Moved to Göteborg, confirmed by phone',
      );
      await expect(discharges.requestDischarge(s.psychiatrist.actor, s.episode.id)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
    });
  });

  describe('endings no one decides', () => {
    it("ends the recording organisation's own episode as ENDED (never DISCHARGED), voids its open proposals and notifies the group", async () => {
      const s = await scene();
      const social = await episodes.open(s.socialWorker.actor, s.person.id, { kind: EpisodeKind.SOCIAL_SERVICES });
      const p = await s.propose();
      const ended = await endings.recordEnding(
        s.nurse.actor,
        s.person.id,
        EndingReason.DIED,
        'Death notice from Skatteverket',
      );
      expect(ended).toMatchObject({
        id: s.episode.id,
        status: EpisodeStatus.ENDED,
        endingReason: EndingReason.DIED,
        endedBy: s.nurse.staff.id,
        dischargeDecisionId: null,
      });
      // The other principal's episode is the other principal's to end.
      expect((await episodeRow(social.id)).status).toBe(EpisodeStatus.ACTIVE);
      expect((await proposals.get(p.id)).status).toBe(ProposalStatus.VOIDED);
      const notes = await db.dataSource.query(
        `SELECT recipient_staff_id FROM notification WHERE person_id = $1 AND kind = 'EPISODE_ENDED'`,
        [s.person.id],
      );
      expect(notes.map((n: { recipient_staff_id: string }) => n.recipient_staff_id).sort()).toEqual(
        [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
      );
      await expect(endings.recordEnding(s.nurse.actor, s.person.id, EndingReason.DIED, 'again')).rejects.toBeInstanceOf(
        DomainError,
      );
      expect(
        await endings.recordEnding(
          s.socialWorker.actor,
          s.person.id,
          EndingReason.DIED,
          'Death notice from Skatteverket',
        ),
      ).toMatchObject({ id: social.id, status: EpisodeStatus.ENDED });
    });
  });

  describe('the database guard (writes that bypass the services)', () => {
    const sqlError = (promise: Promise<unknown>) => expect(promise).rejects.toThrow();

    it('refuses DISCHARGED without a decision', async () => {
      const s = await scene();
      await sqlError(
        db.dataSource.query(`UPDATE care_episode SET status = 'DISCHARGED', ended_at = now() WHERE id = $1`, [
          s.episode.id,
        ]),
      );
      expect((await episodeRow(s.episode.id)).status).toBe(EpisodeStatus.ACTIVE);
    });

    it('refuses a decision that is open, for another episode, used, or expired', async () => {
      const s = await scene();
      const other = await scene();
      const discharge = (decisionId: string, episodeId = s.episode.id) =>
        db.dataSource.query(
          `UPDATE care_episode SET status = 'DISCHARGED', ended_at = now(), discharge_decision_id = $2 WHERE id = $1`,
          [episodeId, decisionId],
        );

      const open = await s.propose();
      await expect(discharge(open.id)).rejects.toThrow(/no approved, unused, unexpired decision/);
      await proposals.vote(s.socialWorker.actor, open.id, VoteChoice.AGREE);
      const approved = await proposals.vote(s.psychiatrist.actor, open.id, VoteChoice.AGREE);

      const otherDecision = await other.approve();
      await expect(discharge(otherDecision.id)).rejects.toThrow(/no approved, unused, unexpired decision/);

      // Let the approval run out (time travel: the test switches the proposal guard off to move the date).
      await db.ownerQuery(`ALTER TABLE proposal DISABLE TRIGGER proposal_guard`);
      await db.dataSource.query(
        `UPDATE proposal SET approval_valid_until = now() - interval '1 second' WHERE id = $1`,
        [approved.id],
      );
      await db.ownerQuery(`ALTER TABLE proposal ENABLE TRIGGER proposal_guard`);
      await expect(discharge(approved.id)).rejects.toThrow(/no approved, unused, unexpired decision/);

      // A used decision cannot discharge a second time (other's episode, after its own discharge).
      await discharge(otherDecision.id, other.episode.id);
      expect((await episodeRow(other.episode.id)).status).toBe(EpisodeStatus.DISCHARGED);
      await expect(
        db.dataSource.query(`UPDATE care_episode SET ended_at = now() WHERE id = $1`, [other.episode.id]),
      ).rejects.toThrow(/ended care episode cannot change/);
      expect((await episodeRow(s.episode.id)).status).toBe(EpisodeStatus.ACTIVE);
    });

    it('refuses an episode inserted as DISCHARGED', async () => {
      const s = await scene();
      const decision = await s.approve();
      await sqlError(
        db.dataSource.query(
          `INSERT INTO care_episode (person_id, organisation_id, principal, kind, status, started_on, ended_at, discharge_decision_id)
           VALUES ($1, $2, 'REGION', 'ADDICTION_CARE', 'DISCHARGED', current_date, now(), $3)`,
          [s.person.id, s.psychiatry.id, decision.id],
        ),
      );
    });

    it('refuses an approval stamped after the deadline, or before its own transaction began', async () => {
      const s = await scene();
      const p = await s.propose();
      // Everyone agrees, written past the service (which would close the proposal at once), so that only the
      // stamp of the approval decides below.
      await db.dataSource.query(
        `UPDATE proposal_elector SET choice = 'AGREE', voted_at = now() WHERE proposal_id = $1`,
        [p.id],
      );
      const approveStamped = (stamp: string) =>
        db.dataSource.query(
          `UPDATE proposal SET status = 'APPROVED', close_reason = 'ALL_AGREED', closed_at = ${stamp},
                  approval_valid_until = now() + interval '1 day' WHERE id = $1`,
          [p.id],
        );
      await expect(approveStamped(`deadline + interval '1 millisecond'`)).rejects.toThrow(/approval refused/);
      await expect(approveStamped(`now() - interval '1 minute'`)).rejects.toThrow(/approval refused/);
      await approveStamped('clock_timestamp()');
      expect((await proposals.get(p.id)).status).toBe('APPROVED');
    });

    it('refuses approving a proposal without everyone agreeing, and changing a closed one', async () => {
      const s = await scene();
      const p = await s.propose();
      await proposals.vote(s.socialWorker.actor, p.id, VoteChoice.AGREE);
      await expect(
        db.dataSource.query(
          `UPDATE proposal SET status = 'APPROVED', closed_at = now(), approval_valid_until = now() + interval '1 day' WHERE id = $1`,
          [p.id],
        ),
      ).rejects.toThrow(/approval refused/);
      await expect(
        db.dataSource.query(`UPDATE proposal SET status = 'REJECTED', closed_at = now() WHERE id = $1`, [p.id]),
      ).rejects.toThrow(/DISAGREE/);
      const approved = await proposals.vote(s.psychiatrist.actor, p.id, VoteChoice.AGREE);
      expect(approved.status).toBe('APPROVED');
      await expect(db.dataSource.query(`UPDATE proposal SET title = 'changed' WHERE id = $1`, [p.id])).rejects.toThrow(
        /closed proposal cannot change/,
      );
      await expect(
        db.dataSource.query(
          `UPDATE proposal_elector SET choice = 'DISAGREE', comment = 'late' WHERE proposal_id = $1`,
          [p.id],
        ),
      ).rejects.toThrow(/only change while the proposal is open/);
      await expect(db.dataSource.query(`DELETE FROM vote_event WHERE proposal_id = $1`, [p.id])).rejects.toThrow(
        /immutable/,
      );
    });

    it('refuses changing a decided discharge request', async () => {
      const s = await scene();
      const r = await discharges.requestDischarge(s.psychiatrist.actor, s.episode.id);
      await discharges.executeDischarge(r.id);
      await expect(
        db.dataSource.query(
          `UPDATE discharge_request SET status = 'PENDING', decided_at = NULL, reason = NULL WHERE id = $1`,
          [r.id],
        ),
      ).rejects.toThrow(/cannot change/);
    });
  });
});
