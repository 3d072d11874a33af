import { ActTeamService, OrganisationKind, Principal, SipPlanService } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const STANDING = `query($id: ID!) {
  patientOverview(personId: $id) {
    nextSipMeeting { id startsAt }
    nextFollowUpOn
    followUpOverdue
    responsibilities { organisation { name } principal overallResponsibility interventions { description } contacts { staff { familyName phone } } }
    collaborationGroup { coordinator { id phone } }
    openProposals { id }
    votesMissing { id }
    lastContactAt
    daysSinceLastContact
    consent { state validUntil withheldFromYou }
  }
}`;

const CASELOAD = `query($filter: CaseloadFilter, $sort: CaseloadSort) {
  caseload(first: 50, filter: $filter, sort: $sort) {
    edges { node { personId followUpOverdue daysSinceLastContact lastContactAt votesMissing person { familyName } } }
  }
}`;

/**
 * The overview's "where do we stand" and the caseload's filters are computed by the server, per reader
 * where they are the reader's own (the votes they owe), and withheld where a consent limitation withholds
 * what they tell (the plan's follow-up and responsibilities, the timeline's last contact): each check below
 * has a reader who sees the figure and one who must not, so it can fail.
 */
describe('where we stand with a person (overview, caseload filters, reminders, ACT figures)', () => {
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
  async function call<T = any>(t: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await api.gql<T>(query, variables, t);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  }

  /** A person with a plan whose follow-up has passed, a contact three days ago, a meeting ahead and a proposal open. */
  async function standingSetting() {
    const s = await f.careSetting({ consent: false });
    const plans = new SipPlanService(db.dataSource);
    await plans.create(s.socialWorker.actor, s.person.id, {
      overallResponsibilityPrincipal: Principal.MUNICIPALITY,
      overallResponsibilityOrganisationId: s.municipality.id,
      interventions: [
        {
          description: 'Boendestöd',
          needId: null,
          responsiblePrincipal: Principal.MUNICIPALITY,
          responsibleOrganisationId: s.municipality.id,
          responsibleUnitId: null,
          status: 'ONGOING' as never,
        },
        {
          description: 'Depåbehandling',
          needId: null,
          responsiblePrincipal: Principal.REGION,
          responsibleOrganisationId: s.psychiatry.id,
          responsibleUnitId: null,
          status: 'PLANNED' as never,
        },
      ],
    } as never);
    await db.dataSource.query(`UPDATE sip_plan SET follow_up_on = current_date - 2 WHERE person_id = $1`, [
      s.person.id,
    ]);
    await db.dataSource.query(`UPDATE staff_member SET phone = '08-123 45 67' WHERE id = $1`, [
      s.psychiatrist.staff.id,
    ]);
    await db.dataSource.query(
      `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, summary) VALUES ($1, $2, now() - interval '3 days', 'OUTREACH', 'Träffades vid Sergels torg')`,
      [s.person.id, s.socialWorker.staff.id],
    );
    const social = await token(s.socialWorker);
    const starts = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const meeting = (
      await call(social, `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          startsAt: starts,
          location: 'Farsta, rum 2',
          participantStaffIds: [s.socialWorker.staff.id, s.psychiatrist.staff.id],
          invitePerson: false,
        },
      })
    ).planSipMeeting;
    return { ...s, social, meeting, starts };
  }

  it('answers the overview at a glance, with the votes missing per reader, until the reader votes', async () => {
    const s = await standingSetting();
    await call(s.social, `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        validTo: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
      },
    });
    const psych = await token(s.psychiatrist);
    const nurse = await token(s.nurse);
    const proposal = (
      await call(s.social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'HOUSING_PLACEMENT',
          title: 'Bostad Först-lägenhet',
          rationale: 'Erbjuden av bostadsbolaget',
          deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        },
      })
    ).openProposal;

    const seen = (await call(s.social, STANDING, { id: s.person.id })).patientOverview;
    expect(seen.nextSipMeeting).toEqual({ id: s.meeting.id, startsAt: new Date(s.starts).toISOString() });
    expect(seen.followUpOverdue).toBe(true);
    expect(seen.nextFollowUpOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(seen.responsibilities).toEqual([
      {
        organisation: { name: s.municipality.name },
        principal: 'MUNICIPALITY',
        overallResponsibility: true,
        interventions: [{ description: 'Boendestöd' }],
        contacts: [
          { staff: { familyName: s.socialWorker.staff.familyName, phone: s.socialWorker.staff.phone ?? null } },
        ],
      },
      {
        organisation: { name: s.psychiatry.name },
        principal: 'REGION',
        overallResponsibility: false,
        interventions: [{ description: 'Depåbehandling' }],
        contacts: expect.arrayContaining([
          { staff: { familyName: s.psychiatrist.staff.familyName, phone: '08-123 45 67' } },
        ]),
      },
    ]);
    expect(seen.collaborationGroup.coordinator.id).toBe(s.socialWorker.staff.id);
    expect(seen.openProposals).toEqual([{ id: proposal.id }]);
    expect(seen.daysSinceLastContact).toBe(3);
    expect(seen.consent).toEqual({ state: 'ENDS_SOON', validUntil: expect.any(String), withheldFromYou: [] });

    // The votes missing are each reader's own: the two voting representatives owe one, the nurse (no vote) none.
    expect((await call(s.social, STANDING, { id: s.person.id })).patientOverview.votesMissing).toEqual([
      { id: proposal.id },
    ]);
    expect((await call(psych, STANDING, { id: s.person.id })).patientOverview.votesMissing).toEqual([
      { id: proposal.id },
    ]);
    expect((await call(nurse, STANDING, { id: s.person.id })).patientOverview.votesMissing).toEqual([]);
    await call(psych, `mutation($i: CastVoteInput!) { castVote(input: $i) { id } }`, {
      i: { proposalId: proposal.id, choice: 'AGREE' },
    });
    expect((await call(psych, STANDING, { id: s.person.id })).patientOverview.votesMissing).toEqual([]);
    expect((await call(s.social, STANDING, { id: s.person.id })).patientOverview.votesMissing).toEqual([
      { id: proposal.id },
    ]);

    // The caseload says the same, and filters on it.
    const awaiting = async (t: string) =>
      (await call(t, CASELOAD, { filter: { awaitingMyVote: true } })).caseload.edges.map((e: any) => e.node.personId);
    expect(await awaiting(s.social)).toEqual([s.person.id]);
    expect(await awaiting(psych)).toEqual([]);
  });

  it('withholds the follow-up, responsibilities and last contact where a consent limitation says so, in the overview and in the caseload filters', async () => {
    const s = await standingSetting();
    await call(s.social, `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: ['SIP_PLAN', 'TIMELINE'].map((category) => ({ organisationId: s.psychiatry.id, category })),
      },
    });
    const psych = await token(s.psychiatrist);
    const shown = (await call(s.social, STANDING, { id: s.person.id })).patientOverview;
    expect(shown).toMatchObject({
      followUpOverdue: true,
      daysSinceLastContact: 3,
      consent: { state: 'IN_FORCE', validUntil: null, withheldFromYou: [] },
    });
    expect(shown.responsibilities).toHaveLength(2);

    const withheld = (await call(psych, STANDING, { id: s.person.id })).patientOverview;
    expect(withheld).toMatchObject({
      nextFollowUpOn: null,
      followUpOverdue: false,
      responsibilities: [],
      lastContactAt: null,
      daysSinceLastContact: null,
      consent: { state: 'IN_FORCE', withheldFromYou: ['SIP_PLAN', 'TIMELINE'] },
    });
    // The meeting itself is no secret of the plan's: participants are summoned to it.
    expect(withheld.nextSipMeeting.id).toBe(s.meeting.id);

    // A filter on what is withheld must not tell it either.
    const ids = async (t: string, filter: Record<string, unknown>) =>
      (await call(t, CASELOAD, { filter })).caseload.edges.map((e: any) => e.node.personId);
    expect(await ids(s.social, { followUpOverdue: true })).toContain(s.person.id);
    expect(await ids(psych, { followUpOverdue: true })).not.toContain(s.person.id);
    expect(await ids(s.social, { noContactForDays: 2 })).toContain(s.person.id);
    expect(await ids(psych, { noContactForDays: 2 })).not.toContain(s.person.id);
    expect(await ids(psych, {})).toContain(s.person.id);
    const row = (await call(psych, CASELOAD, {})).caseload.edges.find((e: any) => e.node.personId === s.person.id).node;
    expect(row).toMatchObject({ followUpOverdue: false, daysSinceLastContact: null, lastContactAt: null });
  });

  it('filters and sorts the caseload on the server: overdue follow-up, no contact for N days, by last contact and by name', async () => {
    const { municipality, psychiatry } = await f.careSetting();
    const owner = await f.staff(municipality, 'SOCIAL_WORKER' as never);
    void psychiatry;
    const named = async (familyName: string, contactDaysAgo: number | null, followUpDaysFromNow: number | null) => {
      const person = await f.person(owner, { familyName });
      await f.consentToGroup(owner, person.id);
      if (contactDaysAgo !== null) {
        await db.dataSource.query(
          `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, summary) VALUES ($1, $2, now() - make_interval(days => $3), 'PHONE', 'Samtal')`,
          [person.id, owner.staff.id, contactDaysAgo],
        );
      }
      if (followUpDaysFromNow !== null) {
        await new SipPlanService(db.dataSource).create(owner.actor, person.id, {
          overallResponsibilityPrincipal: Principal.MUNICIPALITY,
        } as never);
        await db.dataSource.query(`UPDATE sip_plan SET follow_up_on = current_date + $2::int WHERE person_id = $1`, [
          person.id,
          followUpDaysFromNow,
        ]);
      }
      return person;
    };
    const anna = await named('Andersson', 1, -3);
    const bertil = await named('Berg', 20, 10);
    const cecilia = await named('Carlsson', null, null);
    const t = await token(owner);
    const list = async (variables: Record<string, unknown>) =>
      (await call(t, CASELOAD, variables)).caseload.edges.map((e: any) => e.node.personId);

    expect(await list({})).toEqual([anna.id, bertil.id, cecilia.id]);
    expect(await list({ filter: { followUpOverdue: true } })).toEqual([anna.id]);
    expect(await list({ filter: { noContactForDays: 14 } })).toEqual([bertil.id, cecilia.id]);
    expect(await list({ sort: 'LAST_CONTACT' })).toEqual([cecilia.id, bertil.id, anna.id]);
    expect(await list({ sort: 'NAME' })).toEqual([anna.id, bertil.id, cecilia.id]);
    const rows = (await call(t, CASELOAD, { sort: 'LAST_CONTACT' })).caseload.edges.map(
      (e: any) => e.node.daysSinceLastContact,
    );
    expect(rows).toEqual([null, 20, 1]);
    // Pages follow the chosen order.
    const first = await call(
      t,
      `{ caseload(first: 1, sort: LAST_CONTACT) { edges { node { personId } } pageInfo { endCursor hasNextPage } } }`,
    );
    const next = await call(
      t,
      `query($after: String) { caseload(first: 5, sort: LAST_CONTACT, after: $after) { edges { node { personId } } } }`,
      { after: first.caseload.pageInfo.endCursor },
    );
    expect(next.caseload.edges.map((e: any) => e.node.personId)).toEqual([bertil.id, anna.id]);
    const bad = await api.gql(`{ caseload(first: 5, filter: { noContactForDays: -1 }) { edges { cursor } } }`, {}, t);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('tells what each reminder is about and when the thing itself happens', async () => {
    const s = await standingSetting();
    const plan = (
      await db.dataSource.query(
        `SELECT id, to_char(follow_up_on, 'YYYY-MM-DD') AS on FROM sip_plan WHERE person_id = $1`,
        [s.person.id],
      )
    )[0];
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at) VALUES
         ('MEETING_TOMORROW.' || $2 || '.t', 'MEETING_TOMORROW', $1::uuid, $2::uuid, now() + interval '4 days'),
         ('FOLLOW_UP_OVERDUE.' || $3 || '.t', 'FOLLOW_UP_OVERDUE', $1::uuid, $3::uuid, now() + interval '5 days'),
         ('NO_CONTACT.' || $1 || '.t', 'NO_CONTACT', $1::uuid, $1::uuid, now() + interval '6 days'),
         ('VIOLENCE_NOT_ASSESSED.' || $1 || '.t', 'VIOLENCE_NOT_ASSESSED', $1::uuid, $1::uuid, now() + interval '7 days')`,
      [s.person.id, s.meeting.id, plan.id],
    );
    const reminders = (
      await call(
        s.social,
        `query($id: ID!) { person(id: $id) { upcomingReminders { rule subject eventAt eventOn } } }`,
        { id: s.person.id },
      )
    ).person.upcomingReminders;
    const contactDay = (
      await db.dataSource.query(
        `SELECT to_char((now() - interval '3 days') AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') AS d`,
      )
    )[0].d;
    expect(reminders).toEqual([
      { rule: 'MEETING_TOMORROW', subject: 'SIP_MEETING', eventAt: new Date(s.starts).toISOString(), eventOn: null },
      { rule: 'FOLLOW_UP_OVERDUE', subject: 'FOLLOW_UP', eventAt: null, eventOn: plan.on },
      { rule: 'NO_CONTACT', subject: 'CONTACT', eventAt: null, eventOn: contactDay },
      { rule: 'VIOLENCE_NOT_ASSESSED', subject: 'CASE_CHECK', eventAt: null, eventOn: null },
    ]);
  });

  it('gives every reader the same ACT caseload figures, per team and per case manager, whoever they may see', async () => {
    const region = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const city = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const manager = await f.staff(region, 'NURSE' as never);
    const colleague = await f.staff(city, 'SOCIAL_WORKER' as never);
    const teams = new ActTeamService(db.dataSource);
    const team = await teams.create({ name: `ACT ${Date.now()}`, organisationId: region.id });
    await teams.addMember(team.id, { staffId: manager.staff.id, role: 'case manager', fte: 0.2 });
    await teams.addMember(team.id, { staffId: colleague.staff.id, role: 'case manager', fte: 1 });
    // Three persons with the nurse as case manager, registered by the colleague; the nurse's own two have no consent, so the city colleague cannot see them.
    for (let i = 0; i < 3; i++) {
      const by = i === 0 ? colleague : manager;
      const person = await f.person(by);
      if (i === 0) await f.consentToGroup(colleague, person.id);
      await teams.enrolPerson(team.id, { personId: person.id, caseManagerStaffId: manager.staff.id });
    }
    const QUERY = `query($id: ID!) { actTeam(id: $id) {
      caseloadFigures { persons staffFte personsPerFte withinFidelityTarget maxPersonsPerFte }
      roster { staff { id } caseloadFigures { persons maxPersons withinFidelityTarget } }
      caseload { id }
    } }`;
    const asManager = (await call(await token(manager), QUERY, { id: team.id })).actTeam;
    const asColleague = (await call(await token(colleague), QUERY, { id: team.id })).actTeam;
    // The two see different parts of the caseload...
    expect(asColleague.caseload.map((c: any) => c.id).sort()).not.toEqual(
      asManager.caseload.map((c: any) => c.id).sort(),
    );
    // ...and the same figures.
    const figures = (t: any) => ({
      team: t.caseloadFigures,
      roster: t.roster.map((m: any) => [m.staff.id, m.caseloadFigures]).sort(),
    });
    expect(figures(asColleague)).toEqual(figures(asManager));
    expect(asManager.caseloadFigures).toEqual({
      persons: 3,
      staffFte: 1.2,
      personsPerFte: 2.5,
      withinFidelityTarget: true,
      maxPersonsPerFte: 10,
    });
    const byStaff = new Map(asManager.roster.map((m: any) => [m.staff.id, m.caseloadFigures]));
    expect(byStaff.get(manager.staff.id)).toEqual({ persons: 3, maxPersons: 2, withinFidelityTarget: false });
    expect(byStaff.get(colleague.staff.id)).toEqual({ persons: 0, maxPersons: 10, withinFidelityTarget: true });
  });
});
