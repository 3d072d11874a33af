import { addDays, DischargeService, Profession, today } from '../../libs/domain/src';
import { useApiTest } from '../support/api-test';

/**
 * Issue 10, finding 2: after a member voted DISAGREE, another principal's member ended the dissenter's
 * membership dated the day before the vote; the proposal was voided, reopened without the dissenter,
 * approved and the discharge executed. And finding 14: an ended membership kept access until midnight.
 */
describe('who may change the collaboration group, and from when', () => {
  const t = useApiTest();

  const END = `mutation($i: EndGroupMembershipInput!) { endGroupMembership(input: $i) { id validTo } }`;
  const ADD = `mutation($i: AddGroupMemberInput!) { addGroupMember(input: $i) { id validFrom } }`;

  /** A care setting with a second voting representative of the municipality (not the coordinator): the dissenter. */
  async function setting() {
    const s = await t.f.careSetting();
    const dissenter = await t.f.staff(s.municipality, Profession.SOCIAL_WORKER);
    const membership = await t.f.collaboration.addMember(s.person.id, {
      staffId: dissenter.staff.id,
      role: 'housing social worker',
      votingRepresentative: true,
    });
    const [psych, social, nurse, dissent] = await Promise.all(
      [s.psychiatrist, s.socialWorker, s.nurse, dissenter].map((x) => t.api.login(x.username, x.password)),
    );
    return { ...s, dissenter, membership, tokens: { psych, social, nurse, dissent } };
  }

  const ok = <T = any>(token: string, query: string, variables: Record<string, unknown>) =>
    t.api.ok<T>(query, variables, token);

  it("a dissenting vote cannot be removed by ending the voter's membership, back-dated or by another organisation", async () => {
    const s = await setting();
    const episode = (
      await ok(s.tokens.psych, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
        i: { personId: s.person.id, kind: 'PSYCHIATRY' },
      })
    ).openCareEpisode;
    const proposal = (
      await ok(s.tokens.psych, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'DISCHARGE',
          title: 'Avsluta psykiatri',
          rationale: 'Stable',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
          episodeId: episode.id,
        },
      })
    ).openProposal;
    await ok(s.tokens.dissent, `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`, {
      i: { proposalId: proposal.id, choice: 'DISAGREE', comment: 'Not before the housing decision' },
    });

    // Dated before the vote: refused whoever asks, naming the field.
    const backDated = await t.api.gql(
      END,
      { i: { memberId: s.membership.id, validTo: addDays(today(), -1) } },
      s.tokens.psych,
    );
    expect(backDated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validTo' });
    // Dated today: the region's members (voting or not) may not end a municipality member's place.
    for (const token of [s.tokens.psych, s.tokens.nurse]) {
      const other = await t.api.gql(END, { i: { memberId: s.membership.id } }, token);
      expect({ data: other.data, code: other.errors?.[0].extensions?.code }).toEqual({ data: null, code: 'FORBIDDEN' });
    }

    // The electorate is as it was, the dissent stands, and the discharge cannot execute.
    const after = await ok(
      s.tokens.psych,
      `query($id: ID!) { proposal(id: $id) { status electorate { staffId choice } } }`,
      { id: proposal.id },
    );
    expect(after.proposal.status).toBe('OPEN');
    expect(after.proposal.electorate).toContainEqual({ staffId: s.dissenter.staff.id, choice: 'DISAGREE' });
    expect(after.proposal.electorate.map((e: any) => e.staffId).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.dissenter.staff.id].sort(),
    );
    for (const token of [s.tokens.social, s.tokens.psych]) {
      await ok(token, `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`, {
        i: { proposalId: proposal.id, choice: 'AGREE' },
      });
    }
    const request = (
      await ok(s.tokens.psych, `mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`, { id: episode.id })
    ).requestDischarge;
    const decided = await t.api.app.get(DischargeService).executeDischarge(request.id);
    expect(decided?.status).toBe('REJECTED');
    expect(await t.db.dataSource.query(`SELECT status FROM care_episode WHERE id = $1`, [episode.id])).toEqual([
      { status: 'ACTIVE' },
    ]);
    expect(
      await t.db.dataSource.query(`SELECT valid_to, ended_at FROM group_member WHERE id = $1`, [s.membership.id]),
    ).toEqual([{ valid_to: null, ended_at: null }]);
  });

  it('an ended membership stops access at once, the group is told and the change is logged with its ground', async () => {
    const s = await setting();
    const read = (token: string) =>
      t.api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, token);
    expect((await read(s.tokens.dissent)).data?.person.id).toBe(s.person.id);

    // A colleague of the member's own organisation may end it; from that moment the member sees nothing.
    const ended = await ok(s.tokens.social, END, { i: { memberId: s.membership.id } });
    expect(ended.endGroupMembership.validTo).toBe(today());
    const refused = await read(s.tokens.dissent);
    expect({ data: refused.data, code: refused.errors?.[0].extensions?.code }).toEqual({
      data: null,
      code: 'NOT_FOUND',
    });
    // Nor can it be ended twice.
    expect(
      (await t.api.gql(END, { i: { memberId: s.membership.id } }, s.tokens.social)).errors?.[0].extensions?.code,
    ).toBe('INVALID_STATE');

    const notices: Array<{ recipient_staff_id: string; params: Record<string, unknown> }> = await t.db.dataSource.query(
      `SELECT recipient_staff_id, params FROM notification WHERE person_id = $1 AND kind = 'GROUP_MEMBERSHIP_CHANGED' ORDER BY created_at`,
      [s.person.id],
    );
    // The setup's addition was told to the members of the time; the ending to those who remain.
    expect(
      notices
        .filter((n) => n.params.membershipChange === 'LEFT')
        .map((n) => n.recipient_staff_id)
        .sort(),
    ).toEqual([s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id].sort());
    expect(notices.find((n) => n.params.membershipChange === 'LEFT')?.params).toEqual({
      principal: 'MUNICIPALITY',
      votingRepresentative: true,
      membershipChange: 'LEFT',
    });
    for (const n of notices) expect(JSON.stringify(n.params)).not.toContain(s.person.familyName);

    const logged = await t.db.dataSource.query(
      `SELECT action, entity, ground FROM access_log WHERE staff_id = $1 AND person_id = $2 AND action = 'WRITE'`,
      [s.socialWorker.staff.id, s.person.id],
    );
    expect(logged).toContainEqual({ action: 'WRITE', entity: 'endGroupMembership', ground: 'GROUP_MEMBERSHIP' });
  });

  it('the member may leave; an end on a later day counts to the end of that day; additions are never back-dated', async () => {
    const s = await setting();
    const later = await ok(s.tokens.dissent, END, { i: { memberId: s.membership.id, validTo: addDays(today(), 7) } });
    expect(later.endGroupMembership.validTo).toBe(addDays(today(), 7));
    expect(
      (await t.api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, s.tokens.dissent)).data
        ?.person.id,
    ).toBe(s.person.id);

    const nurse2 = await t.f.staff(s.psychiatry, Profession.NURSE);
    const backDated = await t.api.gql(
      ADD,
      {
        i: {
          personId: s.person.id,
          staffId: nurse2.staff.id,
          role: 'nurse',
          votingRepresentative: true,
          validFrom: '2020-01-01',
        },
      },
      s.tokens.psych,
    );
    expect(backDated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validFrom' });
    const added = await ok(s.tokens.psych, ADD, {
      i: { personId: s.person.id, staffId: nurse2.staff.id, role: 'nurse', votingRepresentative: false },
    });
    expect(added.addGroupMember.validFrom).toBe(today());
    const [notice] = await t.db.dataSource.query(
      `SELECT params FROM notification WHERE recipient_staff_id = $1 AND kind = 'GROUP_MEMBERSHIP_CHANGED' ORDER BY created_at DESC LIMIT 1`,
      [s.socialWorker.staff.id],
    );
    expect(notice.params).toEqual({ principal: 'REGION', votingRepresentative: false, membershipChange: 'JOINED' });

    // Another organisation cannot take the coordinator's role; the coordinator hands it over.
    const SET_COORDINATOR = `mutation($i: SetCoordinatorInput!) { setCoordinator(input: $i) { coordinatorStaffId } }`;
    const taken = await t.api.gql(
      SET_COORDINATOR,
      { i: { personId: s.person.id, staffId: s.psychiatrist.staff.id } },
      s.tokens.psych,
    );
    expect(taken.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const coordinator = await ok(s.tokens.social, SET_COORDINATOR, {
      i: { personId: s.person.id, staffId: s.psychiatrist.staff.id },
    });
    expect(coordinator.setCoordinator.coordinatorStaffId).toBe(s.psychiatrist.staff.id);
    expect(
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND kind = 'GROUP_COORDINATOR_CHANGED'`,
        [s.person.id],
      ),
    ).toEqual([{ n: 5 }]);
  });
});
