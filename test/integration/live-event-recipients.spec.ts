import { AccessPolicy } from '../../libs/auth/src';
import { AccessAction, Actor, IntegrationScope, OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The recipients of one live event are decided and logged in one statement (AccessPolicy.authoriseRecipients),
 * and the event is decided only for those it may concern (AccessPolicy.concerned). Both must agree with the
 * one-actor check that every request makes: the same grounds, the same withheld categories, a log entry for each.
 */
describe('live event recipients', () => {
  let db: TestDatabase;
  let f: Fixtures;
  let policy: AccessPolicy;

  beforeAll(async () => {
    db = await createTestDatabase();
    f = new Fixtures(db.dataSource);
    policy = new AccessPolicy(db.dataSource, db.config);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function clientOf(administrator: Actor, organisationId: string, scopes: IntegrationScope[]): Promise<Actor> {
    const created = await f.apiKeys.createClient(administrator, {
      organisationId,
      name: `client ${scopes[0]}`,
      scopes,
    });
    return {
      staffId: created.staff.id,
      organisationId,
      unitId: null,
      profession: created.staff.profession,
      principal: (await f.organisations.get(organisationId)).principal,
      administrator: false,
      auditor: false,
      scopes,
    };
  }

  const logged = async (personId: string) =>
    (
      (await db.dataSource.query(
        `SELECT staff_id FROM access_log WHERE person_id = $1 AND entity = 'decisionEvents' ORDER BY staff_id`,
        [personId],
      )) as Array<{ staff_id: string }>
    ).map((r) => r.staff_id);

  it('decides every recipient as the one-actor check does, logs each delivery, and concerns everyone it grants', async () => {
    const s = await f.careSetting();
    const withoutConsent = await f.careSetting({ consent: false });
    const administrator = await f.staff(s.municipality, Profession.SOCIAL_WORKER, { administrator: true });
    const auditor = await f.staff(s.municipality, Profession.SOCIAL_WORKER, { auditor: true });
    const emergency = await f.staff(s.municipality, Profession.SOCIAL_WORKER);
    const ngo = await f.staff(await f.org(Principal.OTHER, OrganisationKind.NGO), Profession.PEER_SUPPORT_WORKER);
    for (const person of [s.person, withoutConsent.person]) {
      await db.dataSource.query(
        `INSERT INTO emergency_access (person_id, staff_id, organisation_id, reason, expires_at)
         VALUES ($1, $2, $3, 'benchmark of a live event', now() + interval '1 hour')`,
        [person.id, emergency.staff.id, s.municipality.id],
      );
    }
    const actors: Actor[] = [
      s.socialWorker.actor,
      s.psychiatrist.actor,
      s.nurse.actor,
      s.outsider.actor,
      withoutConsent.socialWorker.actor,
      withoutConsent.psychiatrist.actor,
      emergency.actor,
      ngo.actor,
      auditor.actor,
      administrator.actor,
      // An integration client acts for its organisation: the municipality's has the relation of its social worker.
      await clientOf(administrator.actor, s.municipality.id, [IntegrationScope.PERSON_READ]),
      await clientOf(administrator.actor, s.psychiatry.id, [IntegrationScope.PERSON_READ]),
      // No care-data scope: nothing, whatever its organisation's relation.
      await clientOf(administrator.actor, s.municipality.id, [IntegrationScope.DIRECTORY_READ]),
    ];
    // The same subscriber twice (two subscriptions): two deliveries, two entries.
    actors.push(s.socialWorker.actor);

    for (const person of [s.person, withoutConsent.person]) {
      const batch = await policy.authoriseRecipients(actors, person.id, AccessAction.READ_EVENT, 'decisionEvents');
      const concerned = await policy.concerned(person.id);
      const expected: string[] = [];
      for (const [i, actor] of actors.entries()) {
        const alone = (await policy.authoriseWithLimits(actor, [person.id], AccessAction.READ_EVENT, 'alone')).get(
          person.id,
        );
        expect([i, batch.get(i)]).toEqual([i, alone]);
        if (!alone) continue;
        expected.push(actor.staffId);
        expect(
          actor.scopes ? concerned.organisations.has(actor.organisationId) : concerned.staff.has(actor.staffId),
        ).toBe(true);
      }
      expect(await logged(person.id)).toEqual(expected.sort());
    }
    // The scene: the own principal (the social worker twice), the consent (psychiatrist, nurse, the clinic's client),
    // emergency access and the municipality's client see the consented person; the other person only its own
    // social worker and the emergency access (the clients' organisations have no place in that group).
    expect((await logged(s.person.id)).length).toBe(7);
    expect((await logged(withoutConsent.person.id)).length).toBe(2);
  });

  it('an ended membership or a withdrawn consent counts from the next event', async () => {
    const s = await f.careSetting();
    const [psychiatristPlace] = await db.dataSource.query(
      `SELECT m.id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1 AND m.staff_id = $2`,
      [s.person.id, s.psychiatrist.staff.id],
    );
    const recipients = [s.psychiatrist.actor, s.nurse.actor];
    const decide = async () => [
      ...(await policy.authoriseRecipients(recipients, s.person.id, AccessAction.READ_EVENT, 'decisionEvents')).keys(),
    ];
    expect(await decide()).toEqual([0, 1]);
    expect((await policy.concerned(s.person.id)).staff.has(s.psychiatrist.staff.id)).toBe(true);

    await f.collaboration.endMembership(s.psychiatrist.actor, psychiatristPlace.id);
    expect((await policy.concerned(s.person.id)).staff.has(s.psychiatrist.staff.id)).toBe(false);
    expect(await decide()).toEqual([1]);

    const [consent] = await db.dataSource.query(`SELECT id FROM consent WHERE person_id = $1`, [s.person.id]);
    await f.consents.withdraw(s.socialWorker.actor, consent.id, null);
    // Still concerned (a place in the group), but no longer given the content: decided, not delivered.
    expect((await policy.concerned(s.person.id)).staff.has(s.nurse.staff.id)).toBe(true);
    expect(await decide()).toEqual([]);
  });
});
