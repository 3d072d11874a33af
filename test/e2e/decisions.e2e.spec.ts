import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { useApiTest } from '../support/api-test';

interface ReceivedEvent {
  kind: string;
  personId: string;
  status: string | null;
}

/** Collects the decision events one staff member receives over a graphql-ws subscription. */
function subscribe(api: TestApi, token: string, personId?: string) {
  const received: ReceivedEvent[] = [];
  const client: Client = createClient({
    url: api.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  client.on('connected', () => setTimeout(ready, 200));
  client.subscribe<{ decisionEvents: ReceivedEvent }>(
    {
      query: `subscription($personId: ID) { decisionEvents(personId: $personId) { kind personId status } }`,
      variables: { personId },
    },
    { next: (m) => m.data && received.push(m.data.decisionEvents), error: () => undefined, complete: () => undefined },
  );
  return { received, started, close: () => client.dispose() };
}

describe('joint decision to discharge, end to end (API, Redis queue, worker, subscriptions)', () => {
  const t = useApiTest({ worker: true });

  it('discharges only after the group agreed, executed by the worker, and tells only those who may see the person', async () => {
    const s = await t.f.careSetting();
    const peer = await t.f.staff(s.ngo, 'PEER_SUPPORT_WORKER' as never);
    const peerMembership = await t.f.collaboration.addMember(s.person.id, {
      staffId: peer.staff.id,
      role: 'peer support',
      votingRepresentative: false,
    });
    const [psych, social, peerToken, outsider] = await Promise.all([
      t.api.login(s.psychiatrist.username, s.psychiatrist.password),
      t.api.login(s.socialWorker.username, s.socialWorker.password),
      t.api.login(peer.username, peer.password),
      t.api.login(s.outsider.username, s.outsider.password),
    ]);
    const socialStream = subscribe(t.api, social, s.person.id);
    const peerStream = subscribe(t.api, peerToken);
    const outsiderStream = subscribe(t.api, outsider);
    await Promise.all([socialStream.started, peerStream.started, outsiderStream.started]);

    const call = async <T = any>(token: string, query: string, variables: Record<string, unknown>) => {
      const r = await t.api.gql<T>(query, variables, token);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data as T;
    };
    const episode = (
      await call(psych, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id status } }`, {
        i: { personId: s.person.id, kind: 'PSYCHIATRY' },
      })
    ).openCareEpisode;
    const openProposal = () =>
      call(
        psych,
        `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id status electorate { staff { id } principal choice } } }`,
        {
          i: {
            personId: s.person.id,
            type: 'DISCHARGE',
            title: 'Avsluta aktualitet psykiatri',
            rationale: 'Stable, housed, followed by primary care',
            deadline: new Date(Date.now() + 86_400_000).toISOString(),
            episodeId: episode.id,
          },
        },
      ).then((d) => d.openProposal);
    const vote = (token: string, proposalId: string, choice: string, comment?: string) =>
      call(token, `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`, {
        i: { proposalId, choice, comment },
      }).then((d) => d.castVote.status);
    const requestDischarge = () =>
      call(psych, `mutation($id: ID!) { requestDischarge(episodeId: $id) { id status } }`, { id: episode.id }).then(
        (d) => d.requestDischarge,
      );
    const requestStatus = (id: string) =>
      call(
        psych,
        `query($id: ID!) { dischargeRequest(id: $id) { status reason reasonProposalStatus reasonEpisodeStatus } }`,
        { id },
      ).then((d) => d.dischargeRequest);

    // Without agreement the worker rejects the request and the episode stays active.
    const early = await requestDischarge();
    expect(early.status).toBe('PENDING');
    const rejected = await eventually(async () => {
      const r = await requestStatus(early.id);
      return r.status !== 'PENDING' && r;
    });
    // Refused with a code the client words, not a sentence.
    expect(rejected).toEqual({
      status: 'REJECTED',
      reason: 'NO_DISCHARGE_PROPOSAL',
      reasonProposalStatus: null,
      reasonEpisodeStatus: null,
    });

    // A proposal the peer sees opening; then the peer leaves the group (which voids it).
    const first = await openProposal();
    expect(first.electorate.map((e: any) => e.principal).sort()).toEqual(['MUNICIPALITY', 'REGION']);
    await eventually(async () => peerStream.received.some((e) => e.kind === 'PROPOSAL_OPENED'));
    await call(peerToken, `mutation($i: EndGroupMembershipInput!) { endGroupMembership(input: $i) { validTo } }`, {
      i: { memberId: peerMembership.id },
    });
    expect(
      (await call(psych, `query($id: ID!) { proposal(id: $id) { status } }`, { id: first.id })).proposal.status,
    ).toBe('VOIDED');

    // Propose again; everyone agrees; the request is executed by the worker.
    const second = await openProposal();
    expect(await vote(social, second.id, 'DISAGREE', 'Wait for the housing decision')).toBe('OPEN');
    expect(await vote(social, second.id, 'AGREE')).toBe('OPEN');
    const approvedFor = async () =>
      (
        await call(psych, `query($id: ID!) { person(id: $id) { careEpisodes { id dischargeApproved } } }`, {
          id: s.person.id,
        })
      ).person.careEpisodes.find((e: any) => e.id === episode.id).dischargeApproved;
    expect(await approvedFor()).toBe(false);
    expect(await vote(psych, second.id, 'AGREE')).toBe('APPROVED');
    expect(await approvedFor()).toBe(true);
    const request = await requestDischarge();
    const executed = await eventually(async () => {
      const r = await requestStatus(request.id);
      return r.status !== 'PENDING' && r;
    });
    expect(executed.status).toBe('EXECUTED');
    const person = await call(
      social,
      `query($id: ID!) { person(id: $id) { careEpisodes { id status dischargeDecisionId } proposals { id status voteHistory { choice comment profession organisation { principal } } } } }`,
      { id: s.person.id },
    );
    expect(person.person.careEpisodes).toEqual([
      { id: episode.id, status: 'DISCHARGED', dischargeDecisionId: second.id },
    ]);
    // The decision is used up: nothing left to discharge with.
    expect(await approvedFor()).toBe(false);
    const history = person.person.proposals.find((p: any) => p.id === second.id).voteHistory;
    expect(history.map((v: any) => v.choice)).toEqual(['DISAGREE', 'AGREE', 'AGREE']);
    expect(history[0]).toMatchObject({
      comment: 'Wait for the housing decision',
      profession: 'SOCIAL_WORKER',
      organisation: { principal: 'MUNICIPALITY' },
    });

    // Events: the group member saw the whole story, in order; the former member stopped at leaving; the outsider saw nothing.
    await eventually(async () => socialStream.received.some((e) => e.kind === 'DISCHARGE_EXECUTED'));
    const kinds = socialStream.received.map((e) => `${e.kind}:${e.status}`);
    expect(kinds).toEqual([
      'DISCHARGE_REQUESTED:PENDING',
      'DISCHARGE_REJECTED:REJECTED',
      'PROPOSAL_OPENED:OPEN',
      'PROPOSAL_CLOSED:VOIDED',
      'PROPOSAL_OPENED:OPEN',
      'VOTE_CAST:OPEN',
      'VOTE_CAST:OPEN',
      'VOTE_CAST:OPEN',
      'PROPOSAL_CLOSED:APPROVED',
      'DISCHARGE_REQUESTED:PENDING',
      'DISCHARGE_EXECUTED:DISCHARGED',
    ]);
    expect(peerStream.received.map((e) => e.kind)).toEqual([
      'DISCHARGE_REQUESTED',
      'DISCHARGE_REJECTED',
      'PROPOSAL_OPENED',
    ]);
    expect(outsiderStream.received).toEqual([]);
    await Promise.all([socialStream.close(), peerStream.close(), outsiderStream.close()]);
  });

  it('names the field when a disagreement has no comment, and refuses a vote from outside the electorate', async () => {
    const s = await t.f.careSetting();
    const [psych, nurse] = await Promise.all([
      t.api.login(s.psychiatrist.username, s.psychiatrist.password),
      t.api.login(s.nurse.username, s.nurse.password),
    ]);
    const opened = await t.api.gql<any>(
      `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          type: 'HOUSING_PLACEMENT',
          title: 'Housing First flat',
          rationale: 'Offered by the housing company',
          deadline: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
      psych,
    );
    const id = opened.data.openProposal.id;
    const noComment = await t.api.gql(
      `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`,
      { i: { proposalId: id, choice: 'DISAGREE' } },
      psych,
    );
    expect(noComment.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    const nurseVote = await t.api.gql(
      `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`,
      { i: { proposalId: id, choice: 'AGREE' } },
      nurse,
    );
    expect(nurseVote.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missingEpisode = await t.api.gql(
      `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          type: 'DISCHARGE',
          title: 't',
          rationale: 'r',
          deadline: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
      psych,
    );
    expect(missingEpisode.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'episodeId' });
  });
});
