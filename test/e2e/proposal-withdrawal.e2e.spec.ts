import { DecisionEvent, DecisionEventBus } from '../../libs/domain/src';
import { eventually } from '../support/test-context';
import { useApiTest } from '../support/api-test';

const DAY_MS = 86_400_000;

/** Issue 11, section 1: the proposer (or their organisation) withdraws an open proposal; it can never decide anything after. */
describe('withdrawing a proposal', () => {
  const t = useApiTest({ worker: true });

  it('closes it as WITHDRAWN with the reason kept, tells the group, cancels its reminders, and no vote or discharge can use it', async () => {
    const s = await t.f.careSetting();
    const [psych, nurse, social, outsider] = await Promise.all(
      [s.psychiatrist, s.nurse, s.socialWorker, s.outsider].map((x) => t.api.login(x.username, x.password)),
    );
    const call = async (token: string, query: string, variables: Record<string, unknown>) => {
      const r = await t.api.gql<any>(query, variables, token);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data;
    };
    const episode = (
      await call(psych, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
        i: { personId: s.person.id, kind: 'PSYCHIATRY' },
      })
    ).openCareEpisode;
    const proposal = (
      await call(psych, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id status } }`, {
        i: {
          personId: s.person.id,
          type: 'DISCHARGE',
          episodeId: episode.id,
          title: 'Avsluta aktualitet',
          rationale: 'Stable for six months',
          deadline: new Date(Date.now() + 5 * DAY_MS).toISOString(),
        },
      })
    ).openProposal;
    const scheduled = () =>
      t.db.dataSource.query(`SELECT key FROM reminder WHERE subject_id = $1 AND status = 'SCHEDULED'`, [proposal.id]);
    await eventually(async () => (await scheduled()).length > 0);

    const withdraw = (token: string, reason = 'Wrong episode chosen') =>
      t.api.gql<any>(
        `mutation($i: WithdrawProposalInput!) { withdrawProposal(input: $i) { id status closedAt closeReason withdrawalReason } }`,
        { i: { proposalId: proposal.id, reason } },
        token,
      );

    // Another organisation's member of the group may see it, but not withdraw it.
    expect((await withdraw(social)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Without a relation: not found; under emergency access (which only reads): refused.
    expect((await withdraw(outsider)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await call(outsider, `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`, {
      i: { personId: s.person.id, reason: 'Acute psychosis at the shelter' },
    });
    expect((await withdraw(outsider)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A reason is required.
    expect((await withdraw(psych, '   ')).errors?.[0].extensions).toMatchObject({ field: 'reason' });
    expect((await t.db.dataSource.query(`SELECT status FROM proposal WHERE id = $1`, [proposal.id]))[0].status).toBe(
      'OPEN',
    );

    const events: DecisionEvent[] = [];
    const stop = await t.api.app.get(DecisionEventBus).subscribe((e) => events.push(e));
    // Staff of the proposer's organisation carry the proposer's work on.
    const withdrawn = await withdraw(nurse);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.withdrawProposal).toMatchObject({
      status: 'WITHDRAWN',
      closeReason: 'WITHDRAWN',
      withdrawalReason: 'Wrong episode chosen',
      closedAt: expect.any(String),
    });
    await eventually(async () =>
      events.some((e) => e.proposalId === proposal.id && e.kind === 'PROPOSAL_CLOSED' && e.status === 'WITHDRAWN'),
    );
    stop();
    expect((await withdraw(psych)).errors?.[0].extensions?.code).toBe('INVALID_STATE');

    // The group is told, without the reason (free text that may name the person).
    const told = await t.db.dataSource.query(
      `SELECT recipient_staff_id, params FROM notification WHERE person_id = $1 AND kind = 'PROPOSAL_WITHDRAWN'`,
      [s.person.id],
    );
    expect(told.map((n: any) => n.recipient_staff_id).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort(),
    );
    expect(told.map((n: any) => n.params)).toEqual(told.map(() => ({ closeReason: 'WITHDRAWN' })));
    // Its "votes missing" reminders are cancelled, as when a proposal closes.
    await eventually(async () => (await scheduled()).length === 0);

    // No vote, no approval, no discharge.
    const vote = await t.api.gql<any>(
      `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`,
      { i: { proposalId: proposal.id, choice: 'AGREE' } },
      social,
    );
    expect(vote.errors?.[0].extensions?.code).toBe('INVALID_STATE');
    await expect(
      t.db.dataSource.query(`UPDATE proposal SET status = 'APPROVED' WHERE id = $1`, [proposal.id]),
    ).rejects.toThrow(/closed proposal cannot change/);
    const request = (
      await call(psych, `mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`, { id: episode.id })
    ).requestDischarge;
    const decided = await eventually(async () => {
      const r = (
        await call(psych, `query($id: ID!) { dischargeRequest(id: $id) { status reason reasonProposalStatus } }`, {
          id: request.id,
        })
      ).dischargeRequest;
      return r.status !== 'PENDING' && r;
    });
    expect(decided).toEqual({ status: 'REJECTED', reason: 'PROPOSAL_NOT_APPROVED', reasonProposalStatus: 'WITHDRAWN' });
    expect((await t.db.dataSource.query(`SELECT status FROM care_episode WHERE id = $1`, [episode.id]))[0].status).toBe(
      'ACTIVE',
    );
  });
});
