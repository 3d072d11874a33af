import { CodesNotProse1765267200040 } from '../../libs/domain/src/database/migrations/1765267200040-codes-not-prose';
import { useApiTest } from '../support/api-test';

const DAY_MS = 86_400_000;
const NOTIFICATIONS = `{ notifications(limit: 200) { kind params { proposalTitle closeReason endingReason episodeKind principal votingRepresentative membershipChange validTo date startsAt appointmentNote } } }`;

/**
 * Issue 11, section 4: why a proposal closed, why a discharge request was refused and what a notification
 * says are codes with parameters, stored so and sent so (each client words them); so are the rules an
 * input breaks, each named with its field.
 */
describe('codes, not prose', () => {
  const t = useApiTest();

  async function setting() {
    const s = await t.f.careSetting();
    const [psych, social, nurse] = await Promise.all(
      [s.psychiatrist, s.socialWorker, s.nurse].map((x) => t.api.login(x.username, x.password)),
    );
    const call = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const r = await t.api.gql<any>(query, variables, token);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data;
    };
    const open = (input: Record<string, unknown>) =>
      t.api.gql<any>(
        `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id status } }`,
        {
          i: {
            personId: s.person.id,
            type: 'OTHER',
            title: 'Byte av boendestödjare',
            rationale: 'Personen vill byta',
            deadline: new Date(Date.now() + 5 * DAY_MS).toISOString(),
            ...input,
          },
        },
        psych,
      );
    return { s, psych, social, nurse, call, open };
  }

  it('a closed proposal exposes why it closed as a code; the group is told by kind and parameters', async () => {
    const { psych, social, nurse, call, open } = await setting();
    const proposal = (await open({})).data.openProposal;
    const vote = `mutation($i: CastVoteInput!) { castVote(input: $i) { status closeReason closeEndingReason withdrawalReason } }`;
    await call(psych, vote, { i: { proposalId: proposal.id, choice: 'AGREE' } });
    const closed = (await call(social, vote, { i: { proposalId: proposal.id, choice: 'AGREE' } })).castVote;
    expect(closed).toEqual({
      status: 'APPROVED',
      closeReason: 'ALL_AGREED',
      closeEndingReason: null,
      withdrawalReason: null,
    });
    expect(
      (await t.db.dataSource.query(`SELECT close_reason FROM proposal WHERE id = $1`, [proposal.id]))[0].close_reason,
    ).toBe('ALL_AGREED');

    const inbox = (await call(nurse, NOTIFICATIONS)).notifications;
    const about = (kind: string) => inbox.find((n: any) => n.kind === kind)?.params;
    expect(about('PROPOSAL_OPENED')).toMatchObject({ proposalTitle: 'Byte av boendestödjare', closeReason: null });
    expect(about('PROPOSAL_APPROVED')).toMatchObject({
      proposalTitle: 'Byte av boendestödjare',
      closeReason: 'ALL_AGREED',
    });
    // No sentence anywhere: every stored notification is a kind and its parameters.
    const columns = await t.db.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'notification' ORDER BY column_name`,
    );
    expect(columns.map((c: { column_name: string }) => c.column_name)).not.toContain('message');
    const words = inbox
      .flatMap((n: any) => Object.values(n.params))
      .filter((v: unknown) => typeof v === 'string' && / /.test(v));
    expect(new Set(words)).toEqual(new Set(['Byte av boendestödjare']));
  });

  it('an episode that ends otherwise voids its discharge proposal with the ending as the reason', async () => {
    const { s, psych, nurse, call, open } = await setting();
    const episode = (
      await call(psych, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
        i: { personId: s.person.id, kind: 'PSYCHIATRY' },
      })
    ).openCareEpisode;
    const proposal = (await open({ type: 'DISCHARGE', episodeId: episode.id, title: 'Avsluta aktualitet psykiatri' }))
      .data.openProposal;
    await call(psych, `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id } }`, {
      i: { personId: s.person.id, reason: 'MOVED_OUT_OF_AREA', evidence: 'Flyttat till Göteborg enligt personen' },
    });
    const voided = (
      await call(psych, `query($id: ID!) { proposal(id: $id) { status closeReason closeEndingReason } }`, {
        id: proposal.id,
      })
    ).proposal;
    expect(voided).toEqual({ status: 'VOIDED', closeReason: 'EPISODE_ENDED', closeEndingReason: 'MOVED_OUT_OF_AREA' });
    const inbox = (await call(nurse, NOTIFICATIONS)).notifications;
    expect(inbox.find((n: any) => n.kind === 'PROPOSAL_VOIDED').params).toMatchObject({
      closeReason: 'EPISODE_ENDED',
      endingReason: 'MOVED_OUT_OF_AREA',
    });
    expect(inbox.find((n: any) => n.kind === 'EPISODE_ENDED').params).toMatchObject({
      episodeKind: 'PSYCHIATRY',
      endingReason: 'MOVED_OUT_OF_AREA',
    });
  });

  it('a refused input names the field and the rule it broke, with the rule’s parameters', async () => {
    const { s, social, open } = await setting();
    const tooLong = await open({ title: 'x'.repeat(201) });
    expect(tooLong.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'title',
      fields: [{ field: 'title', constraint: 'maxLength', params: { max: 200 } }],
    });
    const empty = await open({ title: '   ', rationale: '' });
    expect(empty.errors?.[0].extensions?.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'rationale', constraint: 'required', params: {} })]),
    );
    // A disagreement without a comment: the domain's rule speaks, by its reason.
    const proposal = (await open({})).data.openProposal;
    const disagree = await t.api.gql<any>(
      `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`,
      { i: { proposalId: proposal.id, choice: 'DISAGREE', comment: null } },
      social,
    );
    expect(disagree.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'COMMENT_REQUIRED_TO_DISAGREE',
      fields: [{ field: 'comment', constraint: 'COMMENT_REQUIRED_TO_DISAGREE' }],
    });
    // A domain rule: its reason is the constraint, with the rule's own numbers.
    const far = await open({ deadline: new Date(Date.now() + 100 * DAY_MS).toISOString() });
    expect(far.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'DEADLINE_TOO_FAR',
      params: { maxDays: 90 },
      field: 'deadline',
      fields: [{ field: 'deadline', constraint: 'DEADLINE_TOO_FAR', params: { maxDays: 90 } }],
    });
    // A date checked by its shape is called a date, not a length.
    const badDate = await t.api.gql<any>(
      `mutation($i: AddGroupMemberInput!) { addGroupMember(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          staffId: s.outsider.staff.id,
          role: 'kurator',
          votingRepresentative: false,
          validFrom: '2026-1-1',
        },
      },
      social,
    );
    expect(badDate.errors?.[0].extensions?.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'validFrom', constraint: 'date' })]),
    );
  });

  it("the person's language is set through updatePerson: English or Swedish, never none", async () => {
    const { s, social } = await setting();
    const update = (preferredLanguage: unknown) =>
      t.api.gql<any>(
        `mutation($id: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $id, input: $i) { preferredLanguage } }`,
        { id: s.person.id, i: { preferredLanguage } },
        social,
      );
    expect(
      (await t.api.gql<any>(`query($id: ID!) { person(id: $id) { preferredLanguage } }`, { id: s.person.id }, social))
        .data.person.preferredLanguage,
    ).toBe('SV');
    expect((await update('EN')).data.updatePerson.preferredLanguage).toBe('EN');
    expect((await update(null)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'preferredLanguage', constraint: 'isEnum' }],
    });
    expect((await update('DE')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (await t.db.dataSource.query(`SELECT preferred_language FROM person WHERE id = $1`, [s.person.id]))[0]
        .preferred_language,
    ).toBe('en');
  });

  it("registerPerson takes the person's language: Swedish when not given, English when asked, never none", async () => {
    const { social } = await setting();
    const register = (extra: Record<string, unknown>) =>
      t.api.gql<any>(
        `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id preferredLanguage } }`,
        {
          i: {
            identityKind: 'UNIDENTIFIED',
            givenName: 'Språk',
            familyName: 'Provsson',
            birthYear: 1980,
            legalGender: 'FEMALE',
            roleInGroup: 'kurator',
            ...extra,
          },
        },
        social,
      );
    expect((await register({})).data.registerPerson.preferredLanguage).toBe('SV');
    const english = (await register({ preferredLanguage: 'EN' })).data.registerPerson;
    expect(english.preferredLanguage).toBe('EN');
    expect(
      (await t.db.dataSource.query(`SELECT preferred_language FROM person WHERE id = $1`, [english.id]))[0]
        .preferred_language,
    ).toBe('en');
    expect((await register({ preferredLanguage: null })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'preferredLanguage', constraint: 'isEnum' }],
    });
    expect((await register({ preferredLanguage: 'DE' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rows written as sentences before are given their codes by the migration', async () => {
    const { s, psych, social, call, open } = await setting();
    const episode = (
      await call(psych, `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
        i: { personId: s.person.id, kind: 'PSYCHIATRY' },
      })
    ).openCareEpisode;
    const approved = (await open({})).data.openProposal;
    for (const token of [psych, social])
      await call(token, `mutation($i: CastVoteInput!) { castVote(input: $i) { status } }`, {
        i: { proposalId: approved.id, choice: 'AGREE' },
      });
    const withdrawn = (await open({ type: 'DISCHARGE', episodeId: episode.id, title: 'Avsluta aktualitet' })).data
      .openProposal;
    await call(psych, `mutation($i: WithdrawProposalInput!) { withdrawProposal(input: $i) { id } }`, {
      i: { proposalId: withdrawn.id, reason: 'Fel aktualitet vald' },
    });

    // Back to how the rows looked before, as that code wrote them.
    const migration = new CodesNotProse1765267200040();
    const owner = { query: (sql: string) => t.db.ownerQuery(sql) } as never;
    await migration.down(owner);
    await t.db.ownerQuery(`ALTER TABLE proposal DISABLE TRIGGER proposal_guard`);
    await t.db.ownerQuery(`UPDATE proposal SET close_reason = 'Every member of the electorate agreed' WHERE id = $1`, [
      approved.id,
    ]);
    await t.db.ownerQuery(`ALTER TABLE proposal ENABLE TRIGGER proposal_guard`);
    const request = await t.db.ownerQuery<{ id: string }>(
      `INSERT INTO discharge_request (episode_id, requested_by, status, decided_at, reason) VALUES ($1, $2, 'REJECTED', now(), 'The collaboration group has not agreed: the latest discharge proposal was WITHDRAWN') RETURNING id`,
      [episode.id, s.psychiatrist.staff.id],
    );
    await t.db.ownerQuery(
      `UPDATE notification SET message = 'A PSYCHIATRY episode ended because the person has died; it is listed for review', kind = 'EPISODE_ENDED' WHERE person_id = $1 AND kind = 'PROPOSAL_WITHDRAWN'`,
      [s.person.id],
    );
    await t.db.ownerQuery(
      `UPDATE notification SET message = 'Proposal "Byte av boendestödjare": Every member of the electorate agreed' WHERE person_id = $1 AND kind = 'PROPOSAL_APPROVED'`,
      [s.person.id],
    );
    await t.db.ownerQuery(
      `UPDATE notification SET message = 'A voting representative of the region leaves the collaboration group after 2027-01-31' WHERE person_id = $1 AND kind = 'GROUP_MEMBERSHIP_CHANGED'`,
      [s.person.id],
    );

    await migration.up(owner);
    const proposals = await t.db.ownerQuery(
      `SELECT id, close_reason, withdrawal_reason FROM proposal WHERE person_id = $1 ORDER BY opened_at`,
      [s.person.id],
    );
    expect(proposals).toEqual([
      { id: approved.id, close_reason: 'ALL_AGREED', withdrawal_reason: null },
      { id: withdrawn.id, close_reason: 'WITHDRAWN', withdrawal_reason: 'Fel aktualitet vald' },
    ]);
    expect(
      await t.db.ownerQuery(`SELECT reason, reason_proposal_status FROM discharge_request WHERE id = $1`, [
        request[0].id,
      ]),
    ).toEqual([{ reason: 'PROPOSAL_NOT_APPROVED', reason_proposal_status: 'WITHDRAWN' }]);
    const notices = await t.db.ownerQuery<{ kind: string; params: Record<string, unknown> }>(
      `SELECT kind, params FROM notification WHERE person_id = $1`,
      [s.person.id],
    );
    expect(notices.find((n) => n.kind === 'EPISODE_ENDED')?.params).toEqual({
      episodeKind: 'PSYCHIATRY',
      endingReason: 'DIED',
    });
    expect(notices.find((n) => n.kind === 'GROUP_MEMBERSHIP_CHANGED')?.params).toEqual({
      principal: 'REGION',
      votingRepresentative: true,
      membershipChange: 'LEAVING',
      validTo: '2027-01-31',
    });
    expect(notices.find((n) => n.kind === 'PROPOSAL_APPROVED')?.params).toEqual({
      proposalTitle: 'Byte av boendestödjare',
      closeReason: 'ALL_AGREED',
    });
  });
});
