import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AccessLogService, OrganisationKind, Principal } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OVERVIEW = `query($id: ID!) { patientOverview(personId: $id) { person { id givenName } sipPlan { id } currentHousing { kind address } recentContacts { id } } }`;
const ACCESS = `query($id: ID!) { personAccess(personId: $id) { level ground planExists contacts { role staff { id familyName } } } }`;
const RECORD = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id active scope organisationIds limitations { organisationId category } } }`;
const WITHDRAW = `mutation($i: WithdrawConsentInput!) { withdrawConsent(input: $i) { id active withdrawnAt withdrawnBy } }`;

describe('consent, emergency access and the access log over GraphQL', () => {
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
  const logRows = (personId: string) =>
    db.dataSource.query(
      `SELECT staff_id AS "staffId", action, entity, ground, role, client_address AS "clientAddress" FROM access_log WHERE person_id = $1 ORDER BY id`,
      [personId],
    );

  it("gives the other principal's staff only the limited view until the person consents, and takes it back at once on withdrawal", async () => {
    const s = await f.careSetting({ consent: false });
    const [social, psych] = await Promise.all([token(s.socialWorker), token(s.psychiatrist)]);
    await f.persons.update(s.socialWorker.actor, s.person.id, {});

    // Own principal (the municipality registered the person): the whole overview.
    const own = await api.gql<any>(OVERVIEW, { id: s.person.id }, social);
    expect(own.errors).toBeUndefined();
    expect(own.data.patientOverview.person.id).toBe(s.person.id);

    // The region's psychiatrist, in the group but without consent: refused, revealing nothing...
    const refused = await api.gql<any>(OVERVIEW, { id: s.person.id }, psych);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(refused.errors)).not.toContain(s.person.givenName);
    // ...but told that a plan may exist and whom to contact.
    const limited = await api.gql<any>(ACCESS, { id: s.person.id }, psych);
    expect(limited.data.personAccess).toMatchObject({ level: 'LIMITED', ground: 'LIMITED_VIEW', planExists: false });
    expect(limited.data.personAccess.contacts).toContainEqual({
      role: 'coordinator',
      staff: { id: s.socialWorker.staff.id, familyName: s.socialWorker.staff.familyName },
    });
    // Someone with no relation at all learns nothing, not even that the person exists.
    const outsider = await api.gql<any>(ACCESS, { id: s.person.id }, await token(s.outsider));
    expect(outsider.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // The psychiatrist cannot grant themselves access by recording a consent that would cover them.
    const selfGranted = await api.gql<any>(
      RECORD,
      {
        i: {
          personId: s.person.id,
          purpose: 'SHARING',
          scope: 'NAMED_ORGANISATIONS',
          organisationIds: [s.psychiatry.id],
          givenHow: 'WRITTEN',
        },
      },
      psych,
    );
    expect(selfGranted.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql<any>(ACCESS, { id: s.person.id }, psych)).data.personAccess).toMatchObject({
      level: 'LIMITED',
    });
    expect(await db.dataSource.query(`SELECT id FROM consent WHERE person_id = $1`, [s.person.id])).toEqual([]);

    // Written consent for the whole group, recorded by the social worker.
    const recorded = await api.gql<any>(
      RECORD,
      { i: { personId: s.person.id, purpose: 'SHARING', scope: 'WHOLE_GROUP', givenHow: 'WRITTEN' } },
      social,
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.recordConsent.active).toBe(true);
    const allowed = await api.gql<any>(OVERVIEW, { id: s.person.id }, psych);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.patientOverview.person.givenName).toBe(s.person.givenName);
    expect((await api.gql<any>(ACCESS, { id: s.person.id }, psych)).data.personAccess).toMatchObject({
      level: 'FULL',
      ground: 'CONSENT',
    });

    const contact = `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`;
    const at = new Date().toISOString();
    const psychContact = (
      await api.gql<any>(
        contact,
        { i: { personId: s.person.id, occurredAt: at, kind: 'OFFICE_VISIT', summary: 'Medication review' } },
        psych,
      )
    ).data.recordContact.id;
    const socialContact = (
      await api.gql<any>(
        contact,
        { i: { personId: s.person.id, occurredAt: at, kind: 'HOME_VISIT', summary: 'Rent arrears' } },
        social,
      )
    ).data.recordContact.id;

    // Withdrawal, received by the psychiatrist: from the very next request the psychiatrist is refused.
    const withdrawn = await api.gql<any>(
      WITHDRAW,
      { i: { consentId: recorded.data.recordConsent.id, note: 'told the nurse by phone' } },
      psych,
    );
    expect(withdrawn.data.withdrawConsent).toMatchObject({ active: false, withdrawnBy: s.psychiatrist.staff.id });
    expect((await api.gql<any>(OVERVIEW, { id: s.person.id }, psych)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql<any>(OVERVIEW, { id: s.person.id }, social)).errors).toBeUndefined();
    // The psychiatry clinic still sees its own records about the person, and only those.
    const ownRecords = await api.gql<any>(
      `query($id: ID!) { personAccess(personId: $id) { level ownOrganisationContacts { id summary } } }`,
      { id: s.person.id },
      psych,
    );
    expect(ownRecords.data.personAccess).toEqual({
      level: 'LIMITED',
      ownOrganisationContacts: [{ id: psychContact, summary: 'Medication review' }],
    });
    expect(JSON.stringify(ownRecords)).not.toContain(socialContact);
    // A withdrawn consent cannot be withdrawn again, nor changed in the database.
    expect(
      (await api.gql<any>(WITHDRAW, { i: { consentId: recorded.data.recordConsent.id } }, social)).errors?.[0]
        .extensions?.code,
    ).toBe('INVALID_STATE');
    await expect(db.dataSource.query(`UPDATE consent SET withdrawn_at = NULL, withdrawn_by = NULL`)).rejects.toThrow(
      /withdrawn, once/,
    );

    // Every look was logged, with its ground; the limited view too; refusals wrote nothing for the psychiatrist's overview.
    const rows = await logRows(s.person.id);
    expect(rows).toContainEqual(
      expect.objectContaining({
        staffId: s.socialWorker.staff.id,
        entity: 'patientOverview',
        ground: 'GROUP_MEMBERSHIP',
        role: 'SOCIAL_WORKER',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        staffId: s.psychiatrist.staff.id,
        entity: 'personAccess',
        ground: 'LIMITED_VIEW',
        action: 'READ_LIMITED',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        staffId: s.psychiatrist.staff.id,
        entity: 'patientOverview',
        ground: 'CONSENT',
        action: 'READ_OVERVIEW',
      }),
    );
    expect(
      rows.filter((r: any) => r.staffId === s.psychiatrist.staff.id && r.entity === 'patientOverview'),
    ).toHaveLength(1);
    expect(
      rows
        .filter((r: any) => r.entity !== 'registerPerson')
        .every((r: any) => /127\.0\.0\.1/.test(r.clientAddress ?? '')),
    ).toBe(true);
  });

  it('limits a consent to named organisations, and honours "do not share X with Y"', async () => {
    const s = await f.careSetting({ consent: false });
    const addiction = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    const addictionNurse = await f.staff(addiction, 'NURSE' as never);
    await f.collaboration.addMember(s.person.id, {
      staffId: addictionNurse.staff.id,
      role: 'addiction nurse',
      votingRepresentative: false,
    });
    const social = await token(s.socialWorker);
    await api.gql<any>(
      `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`,
      { i: { personId: s.person.id, kind: 'EMERGENCY_SHELTER', startedOn: '2026-01-10', address: 'Testgatan 1' } },
      social,
    );

    const named = await api.gql<any>(
      RECORD,
      {
        i: {
          personId: s.person.id,
          purpose: 'SHARING',
          scope: 'NAMED_ORGANISATIONS',
          organisationIds: [s.psychiatry.id],
          limitations: [{ organisationId: s.psychiatry.id, category: 'HOUSING' }],
          givenHow: 'VERBAL_WITH_WITNESS',
          witnessName: 'Kim Vittne',
        },
      },
      social,
    );
    expect(named.errors).toBeUndefined();

    const psych = await api.gql<any>(OVERVIEW, { id: s.person.id }, await token(s.psychiatrist));
    expect(psych.errors).toBeUndefined();
    expect(psych.data.patientOverview.currentHousing).toBeNull();
    const own = await api.gql<any>(OVERVIEW, { id: s.person.id }, social);
    expect(own.data.patientOverview.currentHousing).toMatchObject({
      kind: 'EMERGENCY_SHELTER',
      address: 'Testgatan 1',
    });
    // The addiction clinic is not named: still the limited view only.
    expect(
      (await api.gql<any>(OVERVIEW, { id: s.person.id }, await token(addictionNurse))).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');

    // Bad input names the field and records nothing.
    const before = (await db.dataSource.query(`SELECT count(*)::int AS n FROM consent`))[0].n;
    const verbal = await api.gql<any>(
      RECORD,
      { i: { personId: s.person.id, purpose: 'SIP', scope: 'WHOLE_GROUP', givenHow: 'VERBAL_WITH_WITNESS' } },
      social,
    );
    expect(verbal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'witnessName' });
    const noOrgs = await api.gql<any>(
      RECORD,
      { i: { personId: s.person.id, purpose: 'SHARING', scope: 'NAMED_ORGANISATIONS', givenHow: 'WRITTEN' } },
      social,
    );
    expect(noOrgs.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisationIds' });
    const backwards = await api.gql<any>(
      RECORD,
      {
        i: {
          personId: s.person.id,
          purpose: 'SIP',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          validFrom: '2026-03-01',
          validTo: '2026-02-01',
        },
      },
      social,
    );
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validTo' });
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM consent`))[0].n).toBe(before);
  });

  it('"do not share the SIP plan with us": not even its status or follow-up date in the caseload', async () => {
    const s = await f.careSetting({ consent: false });
    const social = await token(s.socialWorker);
    const created = await api.gql<any>(
      `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`,
      { i: { personId: s.person.id, content: { followUpOn: '2027-01-15' } } },
      social,
    );
    expect(created.errors).toBeUndefined();
    const consented = await api.gql<any>(
      RECORD,
      {
        i: {
          personId: s.person.id,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          limitations: [{ organisationId: s.psychiatry.id, category: 'SIP_PLAN' }],
          givenHow: 'WRITTEN',
        },
      },
      social,
    );
    expect(consented.errors).toBeUndefined();
    const CASELOAD = `{ caseload(first: 50) { edges { node { personId planId planStatus nextFollowUpOn followUpOverdue } } } }`;
    const entryFor = async (t: string) =>
      (await api.gql<any>(CASELOAD, {}, t)).data.caseload.edges
        .map((e: any) => e.node)
        .find((n: any) => n.personId === s.person.id);
    expect(await entryFor(social)).toMatchObject({
      planId: created.data.createSipPlan.id,
      planStatus: 'DRAFT',
      nextFollowUpOn: '2027-01-15',
    });
    expect(await entryFor(await token(s.psychiatrist))).toEqual({
      personId: s.person.id,
      planId: null,
      planStatus: null,
      nextFollowUpOn: null,
      followUpOverdue: false,
    });
  });

  it('shows protected whereabouts only to staff an administrator explicitly authorised, and never writes them to the log', async () => {
    const s = await f.careSetting();
    await f.persons.setProtectedIdentity(
      s.socialWorker.actor,
      s.person.id,
      'SKYDDAD_FOLKBOKFORING' as never,
      'Skatteverket decision, setting up',
    );
    const admin = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const [social, psych, adminToken] = await Promise.all([token(s.socialWorker), token(s.psychiatrist), token(admin)]);
    const move = await api.gql<any>(
      `mutation($i: RecordMoveInput!) { recordMove(input: $i) { kind address } }`,
      { i: { personId: s.person.id, kind: 'TRAINING_FLAT', startedOn: '2026-02-01', address: 'Hemliga gatan 7' } },
      social,
    );
    expect(move.data.recordMove).toEqual({ kind: 'TRAINING_FLAT', address: null });

    const roles = `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { whereaboutsAuthorised } }`;
    expect(
      (await api.gql<any>(roles, { i: { staffId: s.nurse.staff.id, whereaboutsAuthorised: true } }, psych)).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await api.gql<any>(roles, { i: { staffId: s.nurse.staff.id, whereaboutsAuthorised: true } }, adminToken)).data
        .setStaffRoles.whereaboutsAuthorised,
    ).toBe(true);

    const housing = `query($id: ID!) { person(id: $id) { currentHousing { address } housingHistory { address } } }`;
    expect(
      (await api.gql<any>(housing, { id: s.person.id }, await token(s.nurse))).data.person.currentHousing.address,
    ).toBe('Hemliga gatan 7');
    expect((await api.gql<any>(housing, { id: s.person.id }, psych)).data.person).toEqual({
      currentHousing: { address: null },
      housingHistory: [{ address: null }],
    });
    expect((await api.gql<any>(housing, { id: s.person.id }, social)).data.person.currentHousing.address).toBeNull();
    const logged = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM access_log l WHERE to_jsonb(l)::text LIKE '%Hemliga%'`,
    );
    expect(logged[0].n).toBe(0);
  });

  it('stops subscription events and hides notifications the moment consent is withdrawn', async () => {
    const s = await f.careSetting();
    const [social, psych] = await Promise.all([token(s.socialWorker), token(s.psychiatrist)]);
    const received: string[] = [];
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${psych}` },
    });
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    client.on('connected', () => setTimeout(ready, 200));
    client.subscribe<any>(
      {
        query: `subscription($p: ID) { decisionEvents(personId: $p) { kind proposalId } }`,
        variables: { p: s.person.id },
      },
      { next: (m) => received.push(m.data?.decisionEvents.kind), error: () => undefined, complete: () => undefined },
    );
    await started;
    try {
      const open = (title: string) =>
        api.gql<any>(
          `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
          {
            i: {
              personId: s.person.id,
              type: 'OTHER',
              title,
              rationale: 'Discuss housing support',
              deadline: new Date(Date.now() + 86_400_000).toISOString(),
            },
          },
          social,
        );
      expect((await open('First')).errors).toBeUndefined();
      await eventually(async () => received.includes('PROPOSAL_OPENED'));
      const inbox = `{ notifications { kind personId } }`;
      expect((await api.gql<any>(inbox, {}, psych)).data.notifications).toContainEqual({
        kind: 'PROPOSAL_OPENED',
        personId: s.person.id,
      });
      const [consent] = await f.consents.forPerson(s.person.id);
      await f.consents.withdraw(s.socialWorker.actor, consent.id, null);
      // The notification about the person is hidden too, from the next request.
      expect((await api.gql<any>(inbox, {}, psych)).data.notifications).toEqual([]);
      expect((await api.gql<any>(inbox, {}, social)).data.notifications).toContainEqual({
        kind: 'PROPOSAL_OPENED',
        personId: s.person.id,
      });
      const count = received.length;
      expect((await open('Second')).errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, 700));
      expect(received).toHaveLength(count);
      const events = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM access_log WHERE staff_id = $1 AND action = 'READ_EVENT'`,
        [s.psychiatrist.staff.id],
      );
      expect(events[0].n).toBe(count);
    } finally {
      await client.dispose();
    }
  });

  it('opens emergency access only with a reason, logs it as such, tells the coordinator and lists it for review', async () => {
    const s = await f.careSetting();
    const auditor = await f.staff(s.psychiatry, 'OTHER' as never, { auditor: true });
    const [outsider, social, audit] = await Promise.all([token(s.outsider), token(s.socialWorker), token(auditor)]);
    const open = `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id reason expiresAt reviewedAt } }`;

    expect((await api.gql<any>(OVERVIEW, { id: s.person.id }, outsider)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    const short = await api.gql<any>(open, { i: { personId: s.person.id, reason: 'urgent' } }, outsider);
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await api.gql<any>(OVERVIEW, { id: s.person.id }, outsider)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    // An auditor's role opens no care data, not even in an emergency.
    expect(
      (await api.gql<any>(open, { i: { personId: s.person.id, reason: 'Found unconscious at the shelter' } }, audit))
        .errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');

    const opened = await api.gql<any>(
      open,
      { i: { personId: s.person.id, reason: 'Found unconscious at the shelter, needs medication list' } },
      outsider,
    );
    expect(opened.errors).toBeUndefined();
    const overview = await api.gql<any>(OVERVIEW, { id: s.person.id }, outsider);
    expect(overview.errors).toBeUndefined();
    expect(overview.data.patientOverview.person.id).toBe(s.person.id);
    const rows = await logRows(s.person.id);
    expect(rows).toContainEqual(
      expect.objectContaining({ staffId: s.outsider.staff.id, entity: 'patientOverview', ground: 'EMERGENCY' }),
    );

    const inbox = await api.gql<any>(
      `{ notifications { kind personId params { proposalTitle appointmentNote } } }`,
      {},
      social,
    );
    expect(inbox.data.notifications).toContainEqual(
      expect.objectContaining({ kind: 'EMERGENCY_ACCESS', personId: s.person.id }),
    );
    expect(JSON.stringify(inbox.data.notifications)).not.toMatch(/unconscious|Alex/);

    const list = `query { emergencyAccesses(first: 10, unreviewedOnly: true) { edges { node { id personId staffId reason } } } }`;
    expect((await api.gql<any>(list, {}, social)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = await api.gql<any>(list, {}, audit);
    expect(listed.data.emergencyAccesses.edges.map((e: any) => e.node.id)).toContain(
      opened.data.openEmergencyAccess.id,
    );
    const reviewed = await api.gql<any>(
      `mutation($i: ReviewEmergencyAccessInput!) { reviewEmergencyAccess(input: $i) { reviewedAt reviewedBy } }`,
      { i: { id: opened.data.openEmergencyAccess.id, note: 'Justified' } },
      audit,
    );
    expect(reviewed.data.reviewEmergencyAccess.reviewedBy).toBe(auditor.staff.id);
    expect((await api.gql<any>(list, {}, audit)).data.emergencyAccesses.edges.map((e: any) => e.node.id)).not.toContain(
      opened.data.openEmergencyAccess.id,
    );
  });

  it("gives auditors the person's log extract, a staff member's trail and a random sample, and no care data", async () => {
    const s = await f.careSetting();
    const auditor = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    await f.collaboration.addMember(s.person.id, {
      staffId: auditor.staff.id,
      role: 'should not help',
      votingRepresentative: false,
    });
    const [psych, audit] = await Promise.all([token(s.psychiatrist), token(auditor)]);
    await api.gql(OVERVIEW, { id: s.person.id }, psych);

    // Even as a group member, an auditor sees no care data.
    expect((await api.gql<any>(OVERVIEW, { id: s.person.id }, audit)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const extractQuery = `query($p: ID!) { accessLogForPerson(personId: $p) { staffId staffName organisationName role entity ground occurredAt clientAddress } }`;
    expect((await api.gql<any>(extractQuery, { p: s.person.id }, psych)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const extract = await api.gql<any>(extractQuery, { p: s.person.id }, audit);
    expect(extract.errors).toBeUndefined();
    expect(extract.data.accessLogForPerson).toContainEqual(
      expect.objectContaining({
        staffId: s.psychiatrist.staff.id,
        organisationName: s.psychiatry.name,
        role: 'PSYCHIATRIST',
        entity: 'patientOverview',
        ground: 'CONSENT',
      }),
    );
    // Reading the extract is itself logged.
    expect(await logRows(s.person.id)).toContainEqual(
      expect.objectContaining({
        staffId: auditor.staff.id,
        action: 'READ_ACCESS_LOG',
        ground: 'AUDIT',
        role: 'AUDITOR',
      }),
    );

    const trail = await api.gql<any>(
      `query($s: ID!) { accessLogForStaff(staffId: $s, first: 5) { personId entity } }`,
      { s: s.psychiatrist.staff.id },
      audit,
    );
    expect(trail.data.accessLogForStaff).toContainEqual({ personId: s.person.id, entity: 'patientOverview' });
    const sample = await api.gql<any>(`{ accessLogSample(size: 3) { id } }`, {}, audit);
    expect(sample.data.accessLogSample.length).toBeGreaterThan(0);
    expect(sample.data.accessLogSample.length).toBeLessThanOrEqual(3);

    await new AccessLogService(db.dataSource, db.config).sealPending();
    const verification = await api.gql<any>(
      `{ accessLogVerification { ok unsealed problems { problem } } }`,
      {},
      audit,
    );
    expect(verification.data.accessLogVerification.ok).toBe(true);
  });
});
