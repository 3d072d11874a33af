import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { OrganisationKind, Principal } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const RECORD_CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`;

const PERSON = `query($id: ID!) { person(id: $id) {
  sipMeetings { id location minutes }
  caseChecks { kind note }
  proposals { id title rationale electorate { comment } voteHistory { comment } }
  upcomingReminders { rule subjectId dueAt }
} }`;

/**
 * "Do not share X with Y" holds for every field that carries X, not only for the person's own lists:
 * SIP meeting minutes, a case check's note, a proposal's title, rationale and vote comments, and the
 * reminders that tell the plan's follow-up dates (finding 12). The organisation named in the limitation
 * gets them empty; another organisation the same consent covers sees them, so each check can fail.
 */
describe('consent limitations hide every field of their category', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const token = (s: TestStaff) => api.login(s.username, s.password);
  async function call<T = any>(t: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const r = await api.gql<T>(query, variables, t);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  }

  it('minutes, case-check notes, proposal texts and plan reminders: empty for the withheld organisation, shown to another', async () => {
    const s = await f.careSetting({ consent: false });
    const addiction = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    const addictionNurse = await f.staff(addiction, 'NURSE' as never);
    await f.collaboration.addMember(s.person.id, {
      staffId: addictionNurse.staff.id,
      role: 'addiction nurse',
      votingRepresentative: true,
    });
    const social = await token(s.socialWorker);
    // The whole group may see the person, but the plan, the timeline and the family are not shared with psychiatry.
    await call(social, RECORD_CONSENT, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: ['SIP_PLAN', 'TIMELINE', 'FAMILY'].map((category) => ({
          organisationId: s.psychiatry.id,
          category,
        })),
      },
    });

    const minutes = 'Minutes: relapse after the eviction, wants to try Antabus';
    const meeting = (
      await call(social, `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          location: 'Farsta, rum 2',
          participantStaffIds: [s.socialWorker.staff.id],
          invitePerson: false,
        },
      })
    ).planSipMeeting;
    await call(
      social,
      `mutation($id: ID!, $i: RecordSipMeetingHeldInput!) { recordSipMeetingHeld(id: $id, input: $i) { id } }`,
      {
        id: meeting.id,
        i: { minutes, attendedStaffIds: [s.socialWorker.staff.id], personAttended: true },
      },
    );
    const violenceNote = 'Violence: threatened by a former partner in November';
    const relativesNote = 'Relatives: a daughter, 9, lives with her father';
    await call(social, `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'VIOLENCE_ASSESSED', doneOn: '2026-11-02', note: violenceNote },
    });
    await call(social, `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-11-03', note: relativesNote },
    });
    const title = 'Apply for LVM care';
    const rationale = 'Rationale: life-threatening use of alcohol since October';
    const comment = 'Comment: she refused the detox bed twice';
    const proposal = (
      await call(social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'OTHER',
          title,
          rationale,
          deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        },
      })
    ).openProposal;
    await call(await token(addictionNurse), `mutation($i: CastVoteInput!) { castVote(input: $i) { id } }`, {
      i: { proposalId: proposal.id, choice: 'DISAGREE', comment },
    });
    const plan = (
      await call(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
        i: { personId: s.person.id, content: { followUpOn: '2027-03-15' } },
      })
    ).createSipPlan;
    // The scheduled reminders as the worker would have derived them: the plan's follow-up, and one no category covers.
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at) VALUES
         ('FOLLOW_UP_IN_7_DAYS.' || $2 || '.t', 'FOLLOW_UP_IN_7_DAYS', $1::uuid, $2::uuid, '2027-03-08T08:00:00Z'),
         ('VIOLENCE_NOT_ASSESSED.' || $1 || '.t', 'VIOLENCE_NOT_ASSESSED', $1::uuid, $1::uuid, '2027-01-01T08:00:00Z')`,
      [s.person.id, plan.id],
    );

    const shown = (await call(await token(addictionNurse), PERSON, { id: s.person.id })).person;
    expect(shown.sipMeetings).toEqual([{ id: meeting.id, location: 'Farsta, rum 2', minutes }]);
    expect(shown.caseChecks.map((c: any) => c.note).sort()).toEqual([relativesNote, violenceNote].sort());
    expect(shown.proposals).toEqual([
      {
        id: proposal.id,
        title,
        rationale,
        electorate: expect.arrayContaining([{ comment }]),
        voteHistory: [{ comment }],
      },
    ]);
    expect(shown.upcomingReminders.map((r: any) => [r.rule, r.subjectId])).toEqual([
      ['VIOLENCE_NOT_ASSESSED', s.person.id],
      ['FOLLOW_UP_IN_7_DAYS', plan.id],
    ]);

    const withheld = (await call(await token(s.psychiatrist), PERSON, { id: s.person.id })).person;
    // The meeting itself (a participant is summoned to it) stays; what was said there is the plan's.
    expect(withheld.sipMeetings).toEqual([{ id: meeting.id, location: 'Farsta, rum 2', minutes: null }]);
    expect(withheld.caseChecks).toEqual(
      expect.arrayContaining([
        { kind: 'VIOLENCE_ASSESSED', note: null },
        { kind: 'RELATIVES_IDENTIFIED', note: null },
      ]),
    );
    expect(withheld.proposals).toEqual([
      {
        id: proposal.id,
        title: '',
        rationale: '',
        electorate: expect.arrayContaining([{ comment: null }]),
        voteHistory: [{ comment: null }],
      },
    ]);
    expect(withheld.upcomingReminders).toEqual([
      { rule: 'VIOLENCE_NOT_ASSESSED', subjectId: s.person.id, dueAt: '2027-01-01T08:00:00.000Z' },
    ]);
    const text = JSON.stringify(withheld);
    for (const secret of [minutes, violenceNote, relativesNote, title, rationale, comment, plan.id])
      expect(text).not.toContain(secret);

    // The same proposal reached another way (the proposal query, a vote's answer) is hidden by the same rule.
    const direct = await call(
      await token(s.psychiatrist),
      `query($id: ID!) { proposal(id: $id) { title rationale } }`,
      { id: proposal.id },
    );
    expect(direct.proposal).toEqual({ title: '', rationale: '' });
    // And so is the inbox's notification of it, which names its title.
    const inbox = `{ notifications { kind params { proposalTitle } } }`;
    const opened = (t: any) => t.notifications.find((n: any) => n.kind === 'PROPOSAL_OPENED');
    expect(opened(await call(await token(addictionNurse), inbox, {})).params.proposalTitle).toBe(title);
    expect(opened(await call(await token(s.psychiatrist), inbox, {}))).toEqual({
      kind: 'PROPOSAL_OPENED',
      params: null,
    });
  });

  it('a plan reached through a mutation or its versions is hidden too', async () => {
    const s = await f.careSetting({ consent: false });
    const social = await token(s.socialWorker);
    const plan = (
      await call(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          content: { followUpOn: '2027-01-15', personGoals: 'Goals: an own flat by summer' },
        },
      })
    ).createSipPlan;
    await call(social, RECORD_CONSENT, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: [{ organisationId: s.psychiatry.id, category: 'SIP_PLAN' }],
      },
    });
    const psych = await token(s.psychiatrist);
    // Psychiatry may still write to the person; what it gets back of the plan is empty.
    const edited = await call(
      psych,
      `mutation($i: SetFollowUpInput!) { setFollowUp(input: $i) { id personGoals followUpOn needs { id } versions { snapshot { personGoals followUpOn } } } }`,
      {
        i: { planId: plan.id, expectedVersion: 1, followUpOn: '2027-02-01' },
      },
    );
    expect(edited.setFollowUp).toEqual({ id: plan.id, personGoals: '', followUpOn: null, needs: [], versions: [] });
    const own = await call(
      social,
      `query($id: ID!) { sipPlan(id: $id) { personGoals versions { snapshot { personGoals followUpOn } } } }`,
      { id: plan.id },
    );
    expect(own.sipPlan.personGoals).toBe('Goals: an own flat by summer');
    expect(own.sipPlan.versions[0].snapshot).toEqual({
      personGoals: 'Goals: an own flat by summer',
      followUpOn: '2027-02-01',
    });
  });
  it('over WebSocket too: a decision event carries its proposal, with the texts hidden from the withheld organisation', async () => {
    const s = await f.careSetting({ consent: false });
    const addiction = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    const addictionNurse = await f.staff(addiction, 'NURSE' as never);
    await f.collaboration.addMember(s.person.id, {
      staffId: addictionNurse.staff.id,
      role: 'addiction nurse',
      votingRepresentative: false,
    });
    const social = await token(s.socialWorker);
    await call(social, RECORD_CONSENT, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: [{ organisationId: s.psychiatry.id, category: 'SIP_PLAN' }],
      },
    });
    const received = new Map<string, Array<{ proposal: { title: string; rationale: string } | null }>>();
    const clients = await Promise.all(
      [
        ['withheld', await token(s.psychiatrist)],
        ['shown', await token(addictionNurse)],
      ].map(async ([who, t]) => {
        received.set(who, []);
        const client = createClient({
          url: api.url.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${t}` },
        });
        let ready!: () => void;
        const started = new Promise<void>((resolve) => (ready = resolve));
        client.on('connected', () => setTimeout(ready, 200));
        client.subscribe<any>(
          {
            query: `subscription($p: ID) { decisionEvents(personId: $p) { kind proposal { title rationale } } }`,
            variables: { p: s.person.id },
          },
          {
            next: (m) => m.data && received.get(who)!.push(m.data.decisionEvents),
            error: () => undefined,
            complete: () => undefined,
          },
        );
        await started;
        return client;
      }),
    );
    try {
      await call(social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'OTHER',
          title: 'Apply for LVM care',
          rationale: 'Rationale: overdoses in October',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      await eventually(async () => received.get('withheld')!.length > 0 && received.get('shown')!.length > 0);
      expect(received.get('shown')![0].proposal).toEqual({
        title: 'Apply for LVM care',
        rationale: 'Rationale: overdoses in October',
      });
      expect(received.get('withheld')![0].proposal).toEqual({ title: '', rationale: '' });
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
  it('emergency access opens no more than a consent would: the limitations hold under it', async () => {
    const s = await f.careSetting({ consent: false });
    const social = await token(s.socialWorker);
    const goals = 'Goals: a flat of her own, away from the city centre';
    await call(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
      i: { personId: s.person.id, content: { personGoals: goals } },
    });
    await call(social, RECORD_CONSENT, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: [{ organisationId: s.psychiatry.id, category: 'SIP_PLAN' }],
      },
    });
    // A psychiatrist outside the group, in an emergency.
    const onCall = await f.staff(s.psychiatry, 'PSYCHIATRIST' as never);
    const emergency = await token(onCall);
    await call(emergency, `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`, {
      i: { personId: s.person.id, reason: 'Found unconscious at the shelter' },
    });
    const read = `query($id: ID!) { person(id: $id) { givenName currentSipPlan { personGoals } sipPlans { personGoals } } }`;
    expect((await call(emergency, read, { id: s.person.id })).person).toEqual({
      givenName: s.person.givenName,
      currentSipPlan: null,
      sipPlans: [],
    });
    expect((await call(social, read, { id: s.person.id })).person.currentSipPlan).toEqual({ personGoals: goals });
  });
});
