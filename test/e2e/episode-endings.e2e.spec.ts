import { Profession } from '../../libs/domain/src';
import { useApiTest } from '../support/api-test';

/**
 * Issue 10, finding 3: `recordEpisodeEnding(MOVED_OUT_OF_AREA, evidence: "said so")` by any member, an NGO
 * or an outsider under emergency access ended both principals' episodes.
 */
describe('endings no one decides: each organisation ends only its own episode, and each ending is reviewed', () => {
  const t = useApiTest();

  const END = `mutation($i: RecordEpisodeEndingInput!) { recordEpisodeEnding(input: $i) { id status endingReason endedBy } }`;
  const REVIEW_LIST = `query($u: Boolean) { episodeEndingsToReview(unreviewedOnly: $u) { episodeId personId organisationId kind reason evidence endedBy reviewedAt reviewNote } }`;
  const REVIEW = `mutation($i: ReviewEpisodeEndingInput!) { reviewEpisodeEnding(input: $i) { episodeId reviewedAt reviewedBy reviewNote } }`;

  it('refuses an NGO, an organisation without an episode and emergency access; ends only the own episode; lists it for review', async () => {
    const s = await t.f.careSetting();
    const peer = await t.f.staff(s.ngo, Profession.PEER_SUPPORT_WORKER);
    await t.f.collaboration.addMember(s.person.id, {
      staffId: peer.staff.id,
      role: 'peer support',
      votingRepresentative: false,
    });
    const auditor = await t.f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    const [psych, social, peerToken, outsider, auditorToken] = await Promise.all(
      [s.psychiatrist, s.socialWorker, peer, s.outsider, auditor].map((x) => t.api.login(x.username, x.password)),
    );
    const open = async (token: string, kind: string) =>
      (
        await t.api.gql<any>(
          `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
          { i: { personId: s.person.id, kind } },
          token,
        )
      ).data.openCareEpisode.id as string;
    const psychiatry = await open(psych, 'PSYCHIATRY');
    const ending = (reason: string, evidence: string) => ({ i: { personId: s.person.id, reason, evidence } });
    const code = async (token: string) =>
      (await t.api.gql(END, ending('MOVED_OUT_OF_AREA', 'said so'), token)).errors?.[0].extensions?.code;

    // The NGO holds no episode; the municipality has none yet; the outsider has only emergency access.
    expect(await code(peerToken)).toBe('FORBIDDEN');
    expect(await code(social)).toBe('INVALID_STATE');
    await t.api.gql(
      `mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`,
      { i: { personId: s.person.id, reason: 'Unconscious at the day centre' } },
      outsider,
    );
    expect(await code(outsider)).toBe('FORBIDDEN');

    // The region ends its own episode; the municipality's (opened since) stays as it is.
    const socialServices = await open(social, 'SOCIAL_SERVICES');
    const ended = await t.api.gql<any>(
      END,
      ending('MOVED_OUT_OF_AREA', 'Moved to Göteborg, confirmed by the person'),
      psych,
    );
    expect(ended.data?.recordEpisodeEnding).toEqual({
      id: psychiatry,
      status: 'ENDED',
      endingReason: 'MOVED_OUT_OF_AREA',
      endedBy: s.psychiatrist.staff.id,
    });
    const statuses = await t.db.dataSource.query(
      `SELECT id, status FROM care_episode WHERE person_id = $1 ORDER BY status`,
      [s.person.id],
    );
    expect(statuses).toEqual([
      { id: socialServices, status: 'ACTIVE' },
      { id: psychiatry, status: 'ENDED' },
    ]);
    expect(await code(psych)).toBe('INVALID_STATE');

    // The group is told (without personal data), and the write is logged with its ground.
    const told = await t.db.dataSource.query(
      `SELECT recipient_staff_id, params FROM notification WHERE person_id = $1 AND kind = 'EPISODE_ENDED'`,
      [s.person.id],
    );
    expect(told.map((n: any) => n.recipient_staff_id).sort()).toEqual(
      [s.socialWorker.staff.id, s.psychiatrist.staff.id, s.nurse.staff.id, peer.staff.id].sort(),
    );
    expect(told[0].params).toEqual({ episodeKind: 'PSYCHIATRY', endingReason: 'MOVED_OUT_OF_AREA' });
    expect(
      await t.db.dataSource.query(
        `SELECT ground FROM access_log WHERE staff_id = $1 AND entity = 'recordEpisodeEnding'`,
        [s.psychiatrist.staff.id],
      ),
    ).toContainEqual({ ground: 'CONSENT' });

    // Auditors review it, once; nobody else may.
    expect((await t.api.gql(REVIEW_LIST, {}, social)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = (await t.api.gql<any>(REVIEW_LIST, {}, auditorToken)).data.episodeEndingsToReview;
    expect(listed).toContainEqual({
      episodeId: psychiatry,
      personId: s.person.id,
      organisationId: s.psychiatry.id,
      kind: 'PSYCHIATRY',
      reason: 'MOVED_OUT_OF_AREA',
      evidence: 'Moved to Göteborg, confirmed by the person',
      endedBy: s.psychiatrist.staff.id,
      reviewedAt: null,
      reviewNote: null,
    });
    expect((await t.api.gql(REVIEW, { i: { episodeId: psychiatry } }, social)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const reviewed = await t.api.gql<any>(
      REVIEW,
      { i: { episodeId: psychiatry, note: 'Confirmed with the population register' } },
      auditorToken,
    );
    expect(reviewed.data?.reviewEpisodeEnding).toMatchObject({
      episodeId: psychiatry,
      reviewedBy: auditor.staff.id,
      reviewNote: 'Confirmed with the population register',
    });
    expect((await t.api.gql(REVIEW, { i: { episodeId: psychiatry } }, auditorToken)).errors?.[0].extensions?.code).toBe(
      'INVALID_STATE',
    );
    expect(
      (await t.api.gql(REVIEW, { i: { episodeId: socialServices } }, auditorToken)).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
    expect(
      (await t.api.gql<any>(REVIEW_LIST, {}, auditorToken)).data.episodeEndingsToReview.map((e: any) => e.episodeId),
    ).not.toContain(psychiatry);
    expect(
      (await t.api.gql<any>(REVIEW_LIST, { u: false }, auditorToken)).data.episodeEndingsToReview.map(
        (e: any) => e.episodeId,
      ),
    ).toContain(psychiatry);
  });
});
