import { useApiTest } from '../support/api-test';

/** Issue 10, finding 4: under emergency access an outsider made himself a back-dated voting member and coordinator. */
describe('emergency access (nödåtkomst) reads; it never changes anything', () => {
  const t = useApiTest();

  it('refuses every change to the group, consent, identity and episodes, and still lets the outsider read', async () => {
    const s = await t.f.careSetting();
    const [psych, outsider] = await Promise.all([
      t.api.login(s.psychiatrist.username, s.psychiatrist.password),
      t.api.login(s.outsider.username, s.outsider.password),
    ]);
    const episode = await t.api.gql<any>(
      `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
      { i: { personId: s.person.id, kind: 'PSYCHIATRY' } },
      psych,
    );
    const [consent] = await t.db.dataSource.query(`SELECT id FROM consent WHERE person_id = $1`, [s.person.id]);
    const opened = await t.api.gql(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Found unconscious, needs medication history' } },
      outsider,
    );
    expect(opened.errors).toBeUndefined();

    const attempts: Array<[string, string, Record<string, unknown>]> = [
      [
        'addGroupMember',
        `mutation($i: AddGroupMemberInput!) { addGroupMember(input: $i) { id } }`,
        {
          i: {
            personId: s.person.id,
            staffId: s.outsider.staff.id,
            role: 'self-appointed',
            votingRepresentative: true,
            validFrom: '2020-01-01',
          },
        },
      ],
      [
        'setCoordinator',
        `mutation($i: SetCoordinatorInput!) { setCoordinator(input: $i) { id } }`,
        { i: { personId: s.person.id, staffId: s.outsider.staff.id } },
      ],
      [
        'recordEpisodeEnding',
        `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id } }`,
        { i: { personId: s.person.id, reason: 'MOVED_OUT_OF_AREA', evidence: 'said so' } },
      ],
      [
        'updatePerson',
        `mutation($id: ID!, $i: UpdatePersonInput!) { updatePerson(personId: $id, input: $i) { id } }`,
        { id: s.person.id, i: { phone: '070-0000000' } },
      ],
      [
        'recordConsent',
        `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
        { i: { personId: s.person.id, purpose: 'SHARING', scope: 'WHOLE_GROUP', givenHow: 'WRITTEN' } },
      ],
      [
        'openCareEpisode',
        `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
        { i: { personId: s.person.id, kind: 'SOCIAL_SERVICES' } },
      ],
    ];
    for (const [name, query, variables] of attempts) {
      const refused = await t.api.gql(query, variables, outsider);
      expect({
        name,
        data: refused.data,
        code: refused.errors?.[0].extensions?.code,
        message: refused.errors?.[0].message,
      }).toEqual({
        name,
        data: null,
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^Emergency access only reads/),
      });
    }

    // Withdrawing answers as for a consent one may not see (the consent resolver's one refusal).
    const withdrawn = await t.api.gql(
      `mutation($i: WithdrawConsentInput!) { withdrawConsent(input: $i) { id } }`,
      { i: { consentId: consent.id } },
      outsider,
    );
    expect(withdrawn.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // Nothing changed, and none of the refused writes is in the access log.
    const members: Array<{ staff_id: string }> = await t.db.dataSource.query(
      `SELECT m.staff_id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1`,
      [s.person.id],
    );
    expect(members.map((m) => m.staff_id)).not.toContain(s.outsider.staff.id);
    const [group] = await t.db.dataSource.query(
      `SELECT coordinator_staff_id FROM collaboration_group WHERE person_id = $1`,
      [s.person.id],
    );
    expect(group.coordinator_staff_id).toBe(s.socialWorker.staff.id);
    expect(await t.db.dataSource.query(`SELECT status FROM care_episode WHERE person_id = $1`, [s.person.id])).toEqual([
      { status: 'ACTIVE' },
    ]);
    expect(await t.db.dataSource.query(`SELECT withdrawn_at FROM consent WHERE person_id = $1`, [s.person.id])).toEqual(
      [{ withdrawn_at: null }],
    );
    expect(
      await t.db.dataSource.query(`SELECT 1 FROM access_log WHERE staff_id = $1 AND action = 'WRITE'`, [
        s.outsider.staff.id,
      ]),
    ).toEqual([]);

    // Reading still works, on the EMERGENCY ground.
    const read = await t.api.gql<any>(
      `query($id: ID!) { person(id: $id) { id careEpisodes { id status } } }`,
      { id: s.person.id },
      outsider,
    );
    expect(read.data?.person.careEpisodes).toEqual([{ id: episode.data.openCareEpisode.id, status: 'ACTIVE' }]);
    const grounds = await t.db.dataSource.query(`SELECT DISTINCT ground FROM access_log WHERE staff_id = $1`, [
      s.outsider.staff.id,
    ]);
    expect(grounds).toEqual([{ ground: 'EMERGENCY' }]);
  });
});
