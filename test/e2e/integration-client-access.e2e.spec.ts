import {
  ActTeamService,
  DischargeService,
  IntegrationScope,
  OrganisationKind,
  Principal,
  Profession,
  ProposalService,
  ProtectedIdentity,
  SharingCategory,
  ConsentGivenHow,
  ConsentPurpose,
  ConsentScope,
  VoteChoice,
} from '../../libs/domain/src';
import { TokenService } from '../../libs/auth/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { useApiTest } from '../support/api-test';

jest.setTimeout(120_000);

/**
 * Issue 13 §1: an integration client acts for its organisation. It sees and changes exactly what staff of its
 * organisation with a relation to the person may (their place in the group or on an ACT team), under the same
 * own-principal, consent, "do not share X with Y" and protected-identity rules; its scopes open operations only;
 * it is in the access log as the actor; and it never takes part in the group's decisions.
 */
describe('an integration client under the access policy', () => {
  const t = useApiTest();
  let admin: TestStaff;
  let s: Awaited<ReturnType<Fixtures['careSetting']>>;

  const ALL_CARE = [
    IntegrationScope.PERSON_READ,
    IntegrationScope.PERSON_WRITE,
    IntegrationScope.PLAN_READ,
    IntegrationScope.PLAN_WRITE,
    IntegrationScope.DECISIONS_READ,
  ];

  /** A client of the organisation with these scopes, and the bearer credential it sends (its API key). */
  async function client(organisationId: string, scopes: IntegrationScope[]) {
    const created = await t.f.apiKeys.createClient(admin.actor, {
      organisationId,
      name: `Client ${Math.random().toString(36).slice(2, 8)}`,
      scopes,
    });
    return { token: created.apiKey, staffId: created.staff.id };
  }

  const readPerson = async (token: string, id: string) => {
    const r = await t.api.gql<any>(
      `query($id: ID!) { person(id: $id) { id familyName currentSipPlan { id } housingHistory { address } } }`,
      { id },
      token,
    );
    return r.data?.person ?? r.errors?.[0].extensions?.code;
  };

  beforeAll(async () => {
    s = await t.f.careSetting(); // person: municipality's, psychiatrist and nurse of the region in the group, consent to the whole group
    admin = await t.f.staff(s.municipality, Profession.OTHER, { administrator: true });
  });

  it("sees a person through its organisation's staff: own principal on the relation, the other principal only with consent, nobody else's", async () => {
    const municipal = await client(s.municipality.id, [IntegrationScope.PERSON_READ]);
    const psychiatry = await client(s.psychiatry.id, [IntegrationScope.PERSON_READ]);
    const ngo = await client(s.ngo.id, [IntegrationScope.PERSON_READ]);
    // Another municipal organisation with nobody in the group: no relation, though of the same principal.
    const otherDistrict = await t.f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const district = await client(otherDistrict.id, [IntegrationScope.PERSON_READ]);

    expect((await readPerson(municipal.token, s.person.id)).familyName).toBe(s.person.familyName);
    expect((await readPerson(psychiatry.token, s.person.id)).id).toBe(s.person.id);
    expect(await readPerson(ngo.token, s.person.id)).toBe('NOT_FOUND');
    expect(await readPerson(district.token, s.person.id)).toBe('NOT_FOUND');

    // A person of the municipality without consent: the region's client has the relation but only the limited view.
    const unconsented = await t.f.person(s.socialWorker);
    await t.f.collaboration.addMember(unconsented.id, {
      staffId: s.psychiatrist.staff.id,
      role: 'psychiatrist',
      votingRepresentative: true,
    });
    expect(await readPerson(psychiatry.token, unconsented.id)).toBe('NOT_FOUND');
    const limited = await t.api.gql<any>(
      `query($p: ID!) { personAccess(personId: $p) { level } }`,
      { p: unconsented.id },
      psychiatry.token,
    );
    // personAccess is no operation a client's scope opens: refused by scope, with the reason as a code.
    expect([limited.errors?.[0].extensions?.code, limited.errors?.[0].extensions?.reason]).toEqual([
      'FORBIDDEN',
      'SCOPE_NOT_GRANTED',
    ]);
    expect((await readPerson(municipal.token, unconsented.id)).id).toBe(unconsented.id);

    // The relation is the staff's, today: when the psychiatrist and the nurse leave the group, the region's client loses the person.
    const left = await t.f.person(s.socialWorker);
    await t.f.consentToGroup(s.socialWorker, left.id);
    await t.f.collaboration.addMember(left.id, {
      staffId: s.nurse.staff.id,
      role: 'nurse',
      votingRepresentative: false,
    });
    expect((await readPerson(psychiatry.token, left.id)).id).toBe(left.id);
    const social = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const group = await t.api.gql<any>(
      `query($id: ID!) { person(id: $id) { collaborationGroup { members { id staff { id } } } } }`,
      { id: left.id },
      social,
    );
    const nurseMembership = group.data.person.collaborationGroup.members.find(
      (m: any) => m.staff.id === s.nurse.staff.id,
    );
    const nurse = await t.api.login(s.nurse.username, s.nurse.password);
    const ended = await t.api.gql(
      `mutation($i: EndGroupMembershipInput!) { endGroupMembership(input: $i) { id } }`,
      { i: { memberId: nurseMembership.id } },
      nurse,
    );
    expect(ended.errors).toBeUndefined();
    expect(await readPerson(psychiatry.token, left.id)).toBe('NOT_FOUND');
  });

  it('has a relation through an ACT team whose members include staff of its organisation', async () => {
    const teams = t.api.app.get(ActTeamService);
    const team = await teams.create({ name: `ACT ${s.person.id.slice(0, 8)}`, organisationId: s.municipality.id });
    const otherDistrict = await t.f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const teamMember = await t.f.staff(otherDistrict, Profession.CASE_MANAGER);
    await teams.addMember(team.id, { staffId: teamMember.staff.id, role: 'case manager' });
    const district = await client(otherDistrict.id, [IntegrationScope.PERSON_READ]);
    const person = await t.f.person(s.socialWorker);
    expect(await readPerson(district.token, person.id)).toBe('NOT_FOUND');
    const social = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const enrolled = await t.api.gql(
      `mutation($i: EnrolInActTeamInput!) { enrolInActTeam(input: $i) { id } }`,
      { i: { personId: person.id, teamId: team.id } },
      social,
    );
    expect(enrolled.errors).toBeUndefined();
    // Same principal as the person's own: the team's relation alone gives the content.
    expect((await readPerson(district.token, person.id)).id).toBe(person.id);
    const [entry] = await t.db.dataSource.query(
      `SELECT ground FROM access_log WHERE staff_id = $1 AND person_id = $2`,
      [district.staffId, person.id],
    );
    expect(entry.ground).toBe('ACT_TEAM');
  });

  it('is in the access log as the actor, with its service account and the role INTEGRATION_CLIENT, ground as for its staff', async () => {
    const psychiatry = await client(s.psychiatry.id, [IntegrationScope.PERSON_READ]);
    await readPerson(psychiatry.token, s.person.id);
    const entries = await t.db.dataSource.query(
      `SELECT staff_id, organisation_id, role, ground, action, entity FROM access_log WHERE staff_id = $1 ORDER BY id`,
      [psychiatry.staffId],
    );
    expect(entries).toEqual([
      {
        staff_id: psychiatry.staffId,
        organisation_id: s.psychiatry.id,
        role: 'INTEGRATION_CLIENT',
        ground: 'CONSENT',
        action: 'READ_PERSON',
        entity: 'person',
      },
    ]);
  });

  it('reads and writes within its scopes and is refused outside them with a code', async () => {
    const reader = await client(s.municipality.id, [IntegrationScope.PERSON_READ]);
    const writer = await client(s.municipality.id, [
      IntegrationScope.PLAN_WRITE,
      IntegrationScope.PLAN_READ,
      IntegrationScope.PERSON_WRITE,
    ]);
    const directoryOnly = await client(s.municipality.id, [IntegrationScope.DIRECTORY_READ]);
    const person = await t.f.person(s.socialWorker);
    const createPlan = (token: string) =>
      t.api.gql<any>(
        `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
        { i: { personId: person.id } },
        token,
      );

    const refused = await createPlan(reader.token);
    expect([refused.errors?.[0].extensions?.code, refused.errors?.[0].extensions?.reason]).toEqual([
      'FORBIDDEN',
      'SCOPE_NOT_GRANTED',
    ]);
    expect(refused.errors?.[0].extensions?.params).toEqual({ scopes: 'plan.write' });
    expect(await readPerson(directoryOnly.token, person.id)).toBe('FORBIDDEN');

    const created = await createPlan(writer.token);
    expect(created.errors).toBeUndefined();
    const planId = created.data.createSipPlan.id;
    const plan = await t.api.gql<any>(`query($id: ID!) { sipPlan(id: $id) { id } }`, { id: planId }, writer.token);
    expect(plan.data?.sipPlan.id).toBe(planId);
    // PERSON_READ alone opens the person but not the plan: it is left out of the person as a withheld field is.
    expect((await readPerson(reader.token, person.id)).currentSipPlan).toBeNull();
    expect(
      (await t.api.gql<any>(`query($id: ID!) { sipPlan(id: $id) { id } }`, { id: planId }, reader.token)).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');

    const updated = await t.api.gql<any>(
      `mutation($p: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $p, input: $i) { phone } }`,
      { p: person.id, i: { phone: '070-123 45 67' } },
      writer.token,
    );
    expect(updated.data?.updatePerson.phone).toBe('070-123 45 67');
    const write = await t.db.dataSource.query(
      `SELECT role, ground FROM access_log WHERE staff_id = $1 AND entity = 'updatePerson'`,
      [writer.staffId],
    );
    expect(write).toEqual([{ role: 'INTEGRATION_CLIENT', ground: 'GROUP_MEMBERSHIP' }]);
  });

  it('registers a person only with a named coordinator of its own organisation, who then holds the relation', async () => {
    const writer = await client(s.municipality.id, [IntegrationScope.PERSON_WRITE, IntegrationScope.PERSON_READ]);
    const register = (coordinatorStaffId?: string) =>
      t.api.gql<any>(
        `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id collaborationGroup { coordinator { id } } } }`,
        {
          i: {
            identityKind: 'UNIDENTIFIED',
            givenName: 'Kim',
            familyName: 'Importsson',
            birthYear: 1979,
            legalGender: 'MALE',
            roleInGroup: 'case manager',
            coordinatorStaffId,
          },
        },
        writer.token,
      );
    expect((await register()).errors?.[0].extensions?.field).toBe('coordinatorStaffId');
    expect((await register(s.psychiatrist.staff.id)).errors?.[0].extensions?.field).toBe('coordinatorStaffId');
    const registered = await register(s.outsider.staff.id);
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerPerson.collaborationGroup.coordinator.id).toBe(s.outsider.staff.id);
    const [member] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1 AND m.staff_id = $2`,
      [registered.data.registerPerson.id, writer.staffId],
    );
    expect(member.n).toBe(0);
    const [log] = await t.db.dataSource.query(
      `SELECT role FROM access_log WHERE staff_id = $1 AND entity = 'registerPerson'`,
      [writer.staffId],
    );
    expect(log.role).toBe('INTEGRATION_CLIENT');
  });

  it('gets no field a consent withholds from its organisation, and no protected whereabouts', async () => {
    const psychiatry = await client(s.psychiatry.id, [IntegrationScope.PERSON_READ, IntegrationScope.PLAN_READ]);
    const person = await t.f.person(s.socialWorker, { protectedIdentity: ProtectedIdentity.SKYDDAD_FOLKBOKFORING });
    await t.f.collaboration.addMember(person.id, {
      staffId: s.psychiatrist.staff.id,
      role: 'psychiatrist',
      votingRepresentative: true,
    });
    await t.f.consents.record(s.socialWorker.actor, {
      personId: person.id,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.WHOLE_GROUP,
      givenHow: ConsentGivenHow.WRITTEN,
      limitations: [{ organisationId: s.psychiatry.id, category: SharingCategory.SIP_PLAN }],
    });
    const social = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    expect(
      (
        await t.api.gql(
          `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
          { i: { personId: person.id } },
          social,
        )
      ).errors,
    ).toBeUndefined();
    const moved = await t.api.gql(
      `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`,
      { i: { personId: person.id, kind: 'STREET', startedOn: '2026-01-05', address: 'Hemlig gatan 1' } },
      social,
    );
    expect(moved.errors).toBeUndefined();

    const read = await readPerson(psychiatry.token, person.id);
    expect(read.id).toBe(person.id);
    expect(read.currentSipPlan).toBeNull();
    expect(read.housingHistory).toHaveLength(1);
    expect(read.housingHistory[0].address).toBeNull();
    // The municipality's own client sees the plan (no limitation for it), and still no protected address.
    const municipal = await client(s.municipality.id, [IntegrationScope.PERSON_READ, IntegrationScope.PLAN_READ]);
    const own = await readPerson(municipal.token, person.id);
    expect(own.currentSipPlan).not.toBeNull();
    expect(own.housingHistory[0].address).toBeNull();
  });

  it("sees the group's decisions only with decisions.read: without it they are left out of the person and the overview", async () => {
    const social = await t.api.login(s.socialWorker.username, s.socialWorker.password);
    const person = await t.f.person(s.socialWorker);
    await t.f.collaboration.addMember(person.id, {
      staffId: s.psychiatrist.staff.id,
      role: 'psychiatrist',
      votingRepresentative: true,
    });
    const opened = await t.api.gql<any>(
      `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
      {
        i: {
          personId: person.id,
          type: 'OTHER',
          title: 'Boende',
          rationale: 'Housing First',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      social,
    );
    expect(opened.errors).toBeUndefined();
    await t.api.gql(
      `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
      { i: { personId: person.id, kind: 'SOCIAL_SERVICES' } },
      social,
    );
    const read = (token: string) =>
      t.api.gql<any>(
        `query($id: ID!) { person(id: $id) { proposals { id } careEpisodes { id } } patientOverview(personId: $id) { openProposals { id } } }`,
        { id: person.id },
        token,
      );
    const reader = await client(s.municipality.id, [IntegrationScope.PERSON_READ]);
    const decisions = await client(s.municipality.id, [IntegrationScope.PERSON_READ, IntegrationScope.DECISIONS_READ]);
    const without = await read(reader.token);
    // The care episodes are the principals' involvement, not a decision: person.read shows them.
    expect([without.errors, without.data.person, without.data.patientOverview]).toEqual([
      undefined,
      { proposals: [], careEpisodes: [expect.any(Object)] },
      { openProposals: [] },
    ]);
    const withScope = await read(decisions.token);
    expect([
      withScope.data.person.proposals,
      withScope.data.person.careEpisodes.length,
      withScope.data.patientOverview.openProposals,
    ]).toEqual([[{ id: opened.data.openProposal.id }], 1, [{ id: opened.data.openProposal.id }]]);
    const proposal = (token: string) =>
      t.api.gql<any>(`query($id: ID!) { proposal(id: $id) { id } }`, { id: opened.data.openProposal.id }, token);
    expect((await proposal(reader.token)).errors?.[0].extensions?.reason).toBe('SCOPE_NOT_GRANTED');
    expect((await proposal(decisions.token)).data?.proposal.id).toBe(opened.data.openProposal.id);
    // Staff are not limited by scopes.
    expect((await read(social)).data.person.proposals).toHaveLength(1);
  });

  it('never votes, proposes or asks for a discharge: refused by scope over the API, and by the domain rule whatever its scopes', async () => {
    const everything = await client(s.municipality.id, ALL_CARE);
    const vote = await t.api.gql<any>(
      `mutation($i: CastVoteInput!) { castVote(input: $i) { id } }`,
      { i: { proposalId: '00000000-0000-4000-8000-000000000000', choice: 'AGREE' } },
      everything.token,
    );
    expect(vote.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const discharge = await t.api.gql<any>(
      `mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      everything.token,
    );
    expect(discharge.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const emergency = await t.api.gql<any>(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Acute psychosis at the shelter' } },
      everything.token,
    );
    expect(emergency.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The domain rule itself, as any other path (a future scope, a worker) would meet it.
    const actor = await t.api.app.get(TokenService).authenticate(everything.token);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'allowed',
        (e: { code?: string; reason?: string }) => `${e.code}/${e.reason}`,
      );
    const proposals = t.api.app.get(ProposalService);
    expect(await refusal(proposals.vote(actor, '00000000-0000-4000-8000-000000000000', VoteChoice.AGREE))).toBe(
      'FORBIDDEN/NAMED_PERSON_REQUIRED',
    );
    expect(
      await refusal(
        proposals.open(actor, {
          personId: s.person.id,
          type: 'DISCHARGE' as never,
          title: 'x',
          deadline: new Date(Date.now() + 86_400_000),
        } as never),
      ),
    ).toBe('FORBIDDEN/NAMED_PERSON_REQUIRED');
    expect(await refusal(proposals.withdraw(actor, '00000000-0000-4000-8000-000000000000', 'no'))).toBe(
      'FORBIDDEN/NAMED_PERSON_REQUIRED',
    );
    expect(
      await refusal(t.api.app.get(DischargeService).requestDischarge(actor, '00000000-0000-4000-8000-000000000000')),
    ).toBe('FORBIDDEN/NAMED_PERSON_REQUIRED');
  });
});
