import { Profession } from '../../libs/domain/src';
import { OpenProposalDocument } from '../../apps/web/src/api/generated';
import { useApiTest } from '../support/api-test';

/**
 * Issue 11: marking voting representatives from the web client (setVotingRepresentative), and the staff
 * directory search a colleague uses to add a member (staffDirectory).
 */
describe('voting representatives and the staff directory', () => {
  const t = useApiTest();

  const ok = <T = any>(token: string, query: string, variables: Record<string, unknown>) =>
    t.api.ok<T>(query, variables, token);
  const SET = `mutation($i: SetVotingRepresentativeInput!) { setVotingRepresentative(input: $i) { id votingRepresentative } }`;
  const soon = () => new Date(Date.now() + 86_400_000).toISOString();

  it('each principal names its own voting representatives; the electorate change voids open proposals, is told and logged', async () => {
    const s = await t.f.careSetting();
    const colleague = await t.f.staff(s.municipality, Profession.HOUSING_SUPPORT_WORKER);
    const member = await t.f.collaboration.addMember(s.person.id, {
      staffId: colleague.staff.id,
      role: 'housing support',
      votingRepresentative: false,
    });
    const volunteer = await t.f.staff(s.ngo, Profession.PEER_SUPPORT_WORKER);
    const ngoMember = await t.f.collaboration.addMember(s.person.id, {
      staffId: volunteer.staff.id,
      role: 'peer support',
      votingRepresentative: false,
    });
    const [social, psych] = await Promise.all(
      [s.socialWorker, s.psychiatrist].map((x) => t.api.login(x.username, x.password)),
    );
    const proposal = (
      await t.api.ok(
        OpenProposalDocument,
        { input: { personId: s.person.id, type: 'OTHER', title: 'Boende', rationale: 'Vote on it', deadline: soon() } },
        psych,
      )
    ).openProposal;
    // What the psychiatrist (a member all along) is told of membership changes.
    const notices = async () =>
      (
        await t.db.dataSource.query(
          `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND recipient_staff_id = $2 AND kind = 'GROUP_MEMBERSHIP_CHANGED'`,
          [s.person.id, s.psychiatrist.staff.id],
        )
      )[0].n as number;
    const before = await notices();

    // Another principal may neither give the municipality a vote nor take one away.
    const other = await t.api.gql(SET, { i: { memberId: member.id, votingRepresentative: true } }, psych);
    expect({ data: other.data, code: other.errors?.[0].extensions?.code }).toEqual({ data: null, code: 'FORBIDDEN' });
    const taken = await t.api.gql(
      SET,
      { i: { memberId: (await memberOf(s.socialWorker.staff.id)).id, votingRepresentative: false } },
      psych,
    );
    expect(taken.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // An NGO's staff never vote for a principal, whoever asks (here the NGO member themself).
    const volunteerToken = await t.api.login(volunteer.username, volunteer.password);
    const ngoVote = await t.api.gql(SET, { i: { memberId: ngoMember.id, votingRepresentative: true } }, volunteerToken);
    expect(ngoVote.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'votingRepresentative' });
    // Nothing changed so far: the proposal is open and nobody was told.
    expect(
      (await ok(psych, `query($id: ID!) { proposal(id: $id) { status } }`, { id: proposal.id })).proposal.status,
    ).toBe('OPEN');
    expect(await notices()).toBe(before);

    // A colleague of the member's own organisation may: the electorate changes, so the open proposal is voided.
    expect(
      (await ok(social, SET, { i: { memberId: member.id, votingRepresentative: true } })).setVotingRepresentative,
    ).toEqual({ id: member.id, votingRepresentative: true });
    expect(
      (await ok(psych, `query($id: ID!) { proposal(id: $id) { status } }`, { id: proposal.id })).proposal.status,
    ).toBe('VOIDED');
    expect(await notices()).toBe(before + 1);
    const next = (
      await t.api.ok(
        OpenProposalDocument,
        { input: { personId: s.person.id, type: 'OTHER', title: 'Boende', rationale: 'Again', deadline: soon() } },
        psych,
      )
    ).openProposal;
    expect(next.electorate.map((e) => e.staffId)).toContain(colleague.staff.id);

    // Asking again for what already holds changes nothing and voids nothing.
    await ok(social, SET, { i: { memberId: member.id, votingRepresentative: true } });
    expect((await ok(psych, `query($id: ID!) { proposal(id: $id) { status } }`, { id: next.id })).proposal.status).toBe(
      'OPEN',
    );
    expect(await notices()).toBe(before + 1);

    const logged = await t.db.dataSource.query(
      `SELECT action, entity, ground FROM access_log WHERE staff_id = $1 AND person_id = $2 AND entity = 'setVotingRepresentative'`,
      [s.socialWorker.staff.id, s.person.id],
    );
    expect(logged).toContainEqual({ action: 'WRITE', entity: 'setVotingRepresentative', ground: 'GROUP_MEMBERSHIP' });

    // An ended membership votes no more.
    await ok(social, `mutation($i: EndGroupMembershipInput!) { endGroupMembership(input: $i) { id } }`, {
      i: { memberId: member.id },
    });
    const ended = await t.api.gql(SET, { i: { memberId: member.id, votingRepresentative: false } }, social);
    expect(ended.errors?.[0].extensions?.code).toBe('INVALID_STATE');

    async function memberOf(staffId: string): Promise<{ id: string }> {
      const [row] = await t.db.dataSource.query(
        `SELECT m.id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1 AND m.staff_id = $2`,
        [s.person.id, staffId],
      );
      return row;
    }
  });

  it('staff search the directory by name and see only what a colleague may: no e-mail, roles, administrators or auditors; nothing is access-logged', async () => {
    const s = await t.f.careSetting();
    const admin = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
    const auditor = await t.f.staff(s.psychiatry, Profession.OTHER, { auditor: true });
    const social = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const SEARCH = `query($s: String!, $p: Principal) { staffDirectory(search: $s, principal: $p) { id givenName familyName profession phone organisation { id principal } unit { name } } }`;
    const logBefore = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM access_log`))[0].n;

    // Every word must occur in the name; case does not matter.
    const nurses = (await ok(social, SEARCH, { s: `test ${s.nurse.staff.familyName.toLowerCase()}` })).staffDirectory;
    expect(nurses).toEqual([
      {
        id: s.nurse.staff.id,
        givenName: 'Test',
        familyName: s.nurse.staff.familyName,
        profession: 'NURSE',
        phone: null,
        organisation: { id: s.psychiatry.id, principal: 'REGION' },
        unit: null,
      },
    ]);
    // By principal: the nurse is the region's, so a municipality search does not find her.
    expect((await ok(social, SEARCH, { s: s.nurse.staff.familyName, p: 'MUNICIPALITY' })).staffDirectory).toEqual([]);
    // Administrators and auditors take no place in a group and are not offered.
    const others = (await ok(social, SEARCH, { s: 'Test OTHER' })).staffDirectory.map((e: any) => e.id);
    expect(others).not.toContain(admin.staff.id);
    expect(others).not.toContain(auditor.staff.id);
    // A LIKE pattern is matched literally.
    expect((await ok(social, SEARCH, { s: '%%' })).staffDirectory).toEqual([]);

    // The entry has no e-mail, roles or activation to ask for.
    const email = await t.api.gql(`query { staffDirectory(search: "Test") { email } }`, {}, social);
    expect(email.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Too short a search, and anyone but care staff, are refused.
    expect((await t.api.gql(SEARCH, { s: 'T' }, social)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const auditorToken = await t.api.login(auditor.username, auditor.password);
    expect((await t.api.gql(SEARCH, { s: 'Test' }, auditorToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM access_log`))[0].n).toBe(logBefore);
  });
});
