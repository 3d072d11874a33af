import { ConsentGivenHow, ConsentPurpose, ConsentScope } from '../../libs/domain/src';
import { useApiTest } from '../support/api-test';

/** SIP plans, timeline, housing and ACT teams through the GraphQL API, as a client uses them. */
describe('care planning over GraphQL', () => {
  const t = useApiTest();

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    t.api.ok(query, variables, token);

  it('drafts, activates, revises and keeps every version of a SIP plan', async () => {
    const s = await t.f.careSetting();
    const token = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const created = (
      await ok(
        token,
        `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id status version needs { id } } }`,
        {
          i: {
            personId: s.person.id,
            content: {
              personGoals: 'Jag vill ha en egen lägenhet och träffa min dotter',
              needs: [{ area: 'HOUSING', description: 'Stable housing' }],
              overallResponsibilityPrincipal: 'MUNICIPALITY',
              overallResponsibilityOrganisationId: s.municipality.id,
            },
          },
        },
      )
    ).createSipPlan;
    expect(created).toMatchObject({ status: 'DRAFT', version: 1 });

    const transition = (version: number, status: string) =>
      t.api.gql<any>(
        `mutation($i: TransitionSipPlanInput!) { transitionSipPlan(input: $i) { status version } }`,
        { i: { planId: created.id, expectedVersion: version, status } },
        token,
      );
    const incomplete = await transition(1, 'ACTIVE');
    expect(incomplete.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentGivenAt' });

    const edit = (version: number, content: Record<string, unknown>) =>
      t.api.gql<any>(
        `mutation($i: EditSipPlanInput!) { editSipPlan(input: $i) { version interventions { id status responsibleOrganisation { name } } } }`,
        { i: { planId: created.id, expectedVersion: version, content } },
        token,
      );
    const edited = await edit(1, {
      consentGivenAt: '2026-11-20',
      followUpOn: '2027-02-15',
      interventions: [
        {
          needId: created.needs[0].id,
          description: 'Boendestöd tre dagar i veckan',
          responsiblePrincipal: 'MUNICIPALITY',
          responsibleOrganisationId: s.municipality.id,
        },
        {
          description: 'Psykiatrisk uppföljning',
          responsiblePrincipal: 'REGION',
          responsibleOrganisationId: s.psychiatry.id,
        },
      ],
      otherMeasures: [{ actorName: 'Stadsmissionen', organisationId: s.ngo.id, description: 'Dagverksamhet' }],
    });
    expect(edited.errors).toBeUndefined();
    expect(edited.data.editSipPlan.version).toBe(2);

    const stale = await edit(1, { personGoals: 'overwritten' });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');

    const wrongPrincipal = await edit(2, {
      interventions: [
        { description: 'x', responsiblePrincipal: 'REGION', responsibleOrganisationId: s.municipality.id },
      ],
    });
    expect(wrongPrincipal.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'interventions.0.responsibleOrganisationId',
    });

    expect((await transition(2, 'ACTIVE')).data.transitionSipPlan).toEqual({ status: 'ACTIVE', version: 3 });
    const locked = await edit(3, { personGoals: 'changed without revision' });
    expect(locked.errors?.[0].extensions?.code).toBe('INVALID_STATE');
    const intervention = edited.data.editSipPlan.interventions[0].id;
    await ok(token, `mutation($i: SetInterventionStatusInput!) { setInterventionStatus(input: $i) { version } }`, {
      i: { planId: created.id, expectedVersion: 3, interventionId: intervention, status: 'ONGOING' },
    });

    const plan = (
      await ok(
        token,
        `query($id: ID!) { sipPlan(id: $id) { version versions { version changes changedBy snapshot { status followUpOn } } } }`,
        { id: created.id },
      )
    ).sipPlan;
    expect(plan.version).toBe(4);
    expect(plan.versions.map((v: any) => v.version)).toEqual([4, 3, 2, 1]);
    expect(plan.versions[0].changes).toEqual(['interventions: changed "Boendestöd tre dagar i veckan" (status)']);
    expect(plan.versions[1].changes).toEqual(['status: DRAFT → ACTIVE']);
    expect(plan.versions[3]).toMatchObject({
      changes: ['plan created'],
      changedBy: s.socialWorker.staff.id,
      snapshot: { status: 'DRAFT' },
    });
    await expect(t.db.dataSource.query(`UPDATE sip_plan_version SET changes = '{}'`)).rejects.toThrow(/immutable/);

    const second = await t.api.gql(
      `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
      { i: { personId: s.person.id } },
      token,
    );
    expect(second.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('records contacts and moves, newest first, and pages the timeline', async () => {
    const s = await t.f.careSetting();
    const token = await t.api.login(s.psychiatrist.username, s.psychiatrist.password);
    for (let i = 0; i < 5; i++) {
      await ok(token, `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          occurredAt: new Date(Date.now() - (5 - i) * 3_600_000).toISOString(),
          kind: i % 2 ? 'OUTREACH' : 'PHONE',
          summary: `contact ${i}`,
        },
      });
    }
    const future = await t.api.gql(
      `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
          kind: 'PHONE',
          summary: 'tomorrow',
        },
      },
      token,
    );
    expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredAt' });

    const page1 = (
      await ok(
        token,
        `query($id: ID!) { person(id: $id) { timelineEntries(first: 3) { edges { node { summary } } pageInfo { hasNextPage endCursor } } } }`,
        { id: s.person.id },
      )
    ).person.timelineEntries;
    expect(page1.edges.map((e: any) => e.node.summary)).toEqual(['contact 4', 'contact 3', 'contact 2']);
    const page2 = (
      await ok(
        token,
        `query($id: ID!, $after: String) { person(id: $id) { timelineEntries(first: 3, after: $after) { edges { node { summary } } pageInfo { hasNextPage } } } }`,
        { id: s.person.id, after: page1.pageInfo.endCursor },
      )
    ).person.timelineEntries;
    expect(page2.edges.map((e: any) => e.node.summary)).toEqual(['contact 1', 'contact 0']);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    await ok(token, `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'EMERGENCY_SHELTER', startedOn: '2026-03-01' },
    });
    await ok(token, `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'HOUSING_FIRST_FLAT', startedOn: '2026-09-15', address: 'Exempelgatan 1' },
    });
    const backwards = await t.api.gql(
      `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`,
      { i: { personId: s.person.id, kind: 'STREET', startedOn: '2026-01-01' } },
      token,
    );
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startedOn' });
    const housing = (
      await ok(
        token,
        `query($id: ID!) { person(id: $id) { currentHousing { kind } housingHistory { kind startedOn endedOn } } }`,
        { id: s.person.id },
      )
    ).person;
    expect(housing.currentHousing.kind).toBe('HOUSING_FIRST_FLAT');
    expect(housing.housingHistory).toEqual([
      { kind: 'HOUSING_FIRST_FLAT', startedOn: '2026-09-15', endedOn: null },
      { kind: 'EMERGENCY_SHELTER', startedOn: '2026-03-01', endedOn: '2026-09-14' },
    ]);
  });

  it('runs an ACT team: roster, on-call cover, caseload figures, and access through the team', async () => {
    const s = await t.f.careSetting();
    const teamNurse = await t.f.staff(s.psychiatry, 'NURSE' as never);
    const admin = await t.f.staff(s.psychiatry, 'OTHER' as never, { administrator: true });
    const notAdmin = await t.api.login(s.psychiatrist.username, s.psychiatrist.password);
    const refused = await t.api.gql(
      `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
      { i: { name: 'Not allowed', organisationId: s.psychiatry.id } },
      notAdmin,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const token = await t.api.login(admin.username, admin.password);
    const team = (
      await ok(token, `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`, {
        i: { name: `ACT ${Date.now()}`, organisationId: s.psychiatry.id, onCallPhone: '08-123 456 78' },
      })
    ).createActTeam;
    for (const [staff, role, fte] of [
      [s.psychiatrist, 'psychiatrist', 0.5],
      [teamNurse, 'nurse', 1],
      [s.socialWorker, 'social worker', 1],
    ] as const) {
      await ok(token, `mutation($i: AddActTeamMemberInput!) { addActTeamMember(input: $i) { id } }`, {
        i: { teamId: team.id, staffId: staff.staff.id, role, fte },
      });
    }
    await ok(token, `mutation($i: AddOnCallShiftInput!) { addOnCallShift(input: $i) { id } }`, {
      i: {
        teamId: team.id,
        staffId: teamNurse.staff.id,
        startsAt: new Date(Date.now() - 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const outsiderShift = await t.api.gql(
      `mutation($i: AddOnCallShiftInput!) { addOnCallShift(input: $i) { id } }`,
      {
        i: {
          teamId: team.id,
          staffId: s.outsider.staff.id,
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
      token,
    );
    expect(outsiderShift.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'staffId' });

    // Before enrolment the team nurse (not in the group) cannot see the person; after it, she can.
    const nurseToken = await t.api.login(teamNurse.username, teamNurse.password);
    const before = await t.api.gql(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, nurseToken);
    expect(before.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // The administrator maintains the roster but sees no person: enrolment is for someone in the group.
    const adminEnrol = await t.api.gql(
      `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
      { i: { teamId: team.id, personId: s.person.id } },
      token,
    );
    expect(adminEnrol.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await ok(notAdmin, `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`, {
      i: { teamId: team.id, personId: s.person.id, caseManagerStaffId: teamNurse.staff.id },
    });
    // The person's whole-group consent covers the group's members, not the team's other staff of the
    // other principal: until the person consents to the team's organisation, she has the limited view.
    const limited = await t.api.gql(`query($id: ID!) { person(id: $id) { id } }`, { id: s.person.id }, nurseToken);
    expect(limited.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (await ok(nurseToken, `query($id: ID!) { personAccess(personId: $id) { level } }`, { id: s.person.id }))
        .personAccess.level,
    ).toBe('LIMITED');
    await t.f.consents.record(s.socialWorker.actor, {
      personId: s.person.id,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.NAMED_ORGANISATIONS,
      organisationIds: [s.psychiatry.id],
      givenHow: ConsentGivenHow.WRITTEN,
    });
    expect(
      (
        await ok(nurseToken, `query($id: ID!) { person(id: $id) { id actTeams { id noContactAlertDays } } }`, {
          id: s.person.id,
        })
      ).person.actTeams,
    ).toEqual([{ id: team.id, noContactAlertDays: 7 }]);

    const view = (
      await ok(
        nurseToken,
        `query($id: ID!) { actTeam(id: $id) { roster { role fte staff { profession } } onCallNow { staff { id } } caseloadFigures { persons staffFte personsPerFte withinFidelityTarget } caseload { person { id } caseManager { id } } } }`,
        { id: team.id },
      )
    ).actTeam;
    expect(view.roster.map((m: any) => m.staff.profession).sort()).toEqual(['NURSE', 'PSYCHIATRIST', 'SOCIAL_WORKER']);
    expect(view.onCallNow).toEqual([{ staff: { id: teamNurse.staff.id } }]);
    expect(view.caseloadFigures).toEqual({ persons: 1, staffFte: 2.5, personsPerFte: 0.4, withinFidelityTarget: true });
    expect(view.caseload).toEqual([{ person: { id: s.person.id }, caseManager: { id: teamNurse.staff.id } }]);

    const outsiderToken = await t.api.login(s.outsider.username, s.outsider.password);
    const outsiderView = (
      await ok(outsiderToken, `query($id: ID!) { actTeam(id: $id) { caseload { person { id } } } }`, { id: team.id })
    ).actTeam;
    expect(outsiderView.caseload).toEqual([]);
  });
});
