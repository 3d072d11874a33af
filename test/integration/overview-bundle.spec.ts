import { hashPassword } from '../../libs/auth/src';
import { In, LessThanOrEqual, MoreThan } from 'typeorm';
import {
  CareEpisode,
  ELECTORS_OF_PROPOSALS_SQL,
  EPISODES_OF_PERSONS_SQL,
  HOUSING_HISTORY_SQL,
  HousingPlacement,
  OnCallShift,
  onCallAtSql,
  OVERVIEW_RECENT_CONTACTS,
  OverviewQueries,
  PersonStandingQueries,
  Proposal,
  ProposalElector,
  PROPOSALS_OF_PERSONS_SQL,
  SipMeetingService,
} from '../../libs/domain/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Rows in a stable order, for the statements that order nothing (the lists that are ordered are compared as they come). */
const sorted = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/**
 * The overview reads its common parts in one statement (OverviewQueries.bundle) and primes the loaders
 * with them. Whatever the bundle returns must be exactly what the separate statements return, types
 * included (a timestamp a Date, a day a string): otherwise a field would answer differently depending
 * on whether the overview or another query loaded it.
 */
describe('the overview bundle', () => {
  let db: TestDatabase;
  let queries: OverviewQueries;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    queries = new OverviewQueries(db.dataSource);
    // The demo data has no proposal: one open and one closed, with their electors, so that those parts are compared too.
    for (const status of ['OPEN', 'REJECTED']) {
      await db.dataSource.query(
        `WITH g AS (SELECT g.id, g.person_id, g.membership_version, m.staff_id, m.principal, s.organisation_id, s.profession
                      FROM collaboration_group g JOIN group_member m ON m.group_id = g.id JOIN staff_member s ON s.id = m.staff_id
                     WHERE m.valid_to IS NULL ORDER BY g.created_at LIMIT 1),
              p AS (INSERT INTO proposal (group_id, person_id, type, title, rationale, proposed_by, opened_at, deadline, membership_version, status, closed_at, close_reason)
                    SELECT id, person_id, 'HOUSING_PLACEMENT', 'Test', 'Test', staff_id, now(), now() + interval '7 days', membership_version, $1::text,
                           CASE WHEN $1 = 'OPEN' THEN NULL ELSE now() END,
                           CASE WHEN $1 = 'OPEN' THEN NULL ELSE 'DISAGREED_AT_DEADLINE' END FROM g RETURNING id)
         INSERT INTO proposal_elector (proposal_id, staff_id, principal, organisation_id, profession) SELECT p.id, g.staff_id, g.principal, g.organisation_id, g.profession FROM p, g`,
        [status],
      );
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('gives the same rows as the separate statements, for every demo person and for all of them at once', async () => {
    const ids: string[] = (await db.dataSource.query(`SELECT id FROM person ORDER BY id`)).map(
      (r: { id: string }) => r.id,
    );
    expect(ids.length).toBeGreaterThan(5);
    for (const personIds of [...ids.map((id) => [id]), ids]) {
      const at = new Date();
      const bundle = await queries.bundle(personIds, { at });
      const groups = await queries.groupsByPersonIds(personIds);
      const members = await queries.membersByGroupIds(groups.map((g) => g.id));
      const plans = await queries.currentPlans(personIds);
      const contacts = await queries.recentContacts(personIds, OVERVIEW_RECENT_CONTACTS);
      const housing = await queries.currentHousing(personIds);
      const teams = await queries.actTeamsByPersonIds(personIds);
      const meetings = await new SipMeetingService(db.dataSource).forPersons(personIds);
      const consents = await new PersonStandingQueries(db.dataSource).consents(personIds);
      const sql = db.dataSource;
      const episodes: CareEpisode[] = await sql.query(EPISODES_OF_PERSONS_SQL, [personIds]);
      const housingHistory: HousingPlacement[] = await sql.query(HOUSING_HISTORY_SQL, [personIds]);
      const proposals: Proposal[] = await sql.query(PROPOSALS_OF_PERSONS_SQL, [personIds]);
      const openIds = proposals.filter((p) => p.status === 'OPEN').map((p) => p.id);
      const electors: ProposalElector[] = await sql.query(ELECTORS_OF_PROPOSALS_SQL, [openIds]);
      const shifts: OnCallShift[] = await sql.query(onCallAtSql('$1::uuid[]', '$2::timestamptz'), [
        teams.map((t) => t.id),
        at,
      ]);
      // Those statements are made from the entities' column definitions: they read what the repositories read.
      const repository = <T extends object>(entity: new () => T) => sql.getRepository<T>(entity);
      expect(sorted(episodes)).toEqual(sorted(await repository(CareEpisode).findBy({ personId: In(personIds) })));
      expect(sorted(housingHistory)).toEqual(
        sorted(await repository(HousingPlacement).findBy({ personId: In(personIds) })),
      );
      expect(sorted(proposals)).toEqual(sorted(await repository(Proposal).findBy({ personId: In(personIds) })));
      const key = (e: ProposalElector) => ({ ...e, id: `${e.proposalId}:${e.staffId}` });
      expect(sorted(electors.map(key))).toEqual(
        sorted((await repository(ProposalElector).findBy({ proposalId: In(openIds) })).map(key)),
      );
      expect(sorted(shifts)).toEqual(
        sorted(
          await repository(OnCallShift).findBy({
            teamId: In(teams.map((t) => t.id)),
            startsAt: LessThanOrEqual(at),
            endsAt: MoreThan(at),
          }),
        ),
      );
      const staffIds = [
        ...new Set(
          [
            ...members.map((m) => m.staffId),
            ...groups.map((g) => g.coordinatorStaffId),
            ...contacts.map((c) => c.staffId),
            ...shifts.map((s) => s.staffId),
          ].filter(Boolean),
        ),
      ] as string[];
      const staff = await queries.staff(staffIds);
      const organisationIds = new Set<string>(
        [
          ...staff.map((m) => m.organisationId),
          ...plans.flatMap((p) => [
            p.overallResponsibilityOrganisationId,
            ...p.interventions.map((i) => i.responsibleOrganisationId),
          ]),
          ...housingHistory.map((h) => h.providerOrganisationId),
          ...episodes.map((e) => e.organisationId),
          ...teams.map((t) => t.organisationId),
        ].filter((id): id is string => Boolean(id)),
      );
      const organisations = await queries.organisations([...organisationIds]);

      expect(sorted(bundle.persons)).toEqual(sorted(await queries.persons(personIds)));
      expect(sorted(bundle.groups)).toEqual(sorted(groups));
      expect(bundle.members).toEqual(members);
      expect(sorted(bundle.plans)).toEqual(sorted(plans));
      expect(bundle.contacts).toEqual(contacts);
      expect(bundle.meetings).toEqual(meetings);
      expect(bundle.episodes).toEqual(episodes);
      expect(bundle.housingHistory).toEqual(housingHistory);
      expect(bundle.proposals).toEqual(proposals);
      expect(bundle.electors).toEqual(electors);
      expect(bundle.shifts).toEqual(shifts);
      expect(
        sorted(bundle.consents.map((c) => ({ ...c, id: `${c.personId}:${c.recordedAt.toISOString()}:${c.purpose}` }))),
      ).toEqual(
        sorted(consents.map((c) => ({ ...c, id: `${c.personId}:${c.recordedAt.toISOString()}:${c.purpose}` }))),
      );
      expect(sorted(bundle.housing)).toEqual(sorted(housing));
      expect(sorted(bundle.teams.map((t) => ({ ...t, id: `${t.personId}:${t.id}` })))).toEqual(
        sorted(teams.map((t) => ({ ...t, id: `${t.personId}:${t.id}` }))),
      );
      expect(sorted(bundle.staff)).toEqual(sorted(staff));
      expect(sorted(bundle.organisations)).toEqual(sorted(organisations));
    }
    // The demo data has every part, so the comparison above compared something.
    const all = await queries.bundle(ids);
    for (const part of [
      'persons',
      'groups',
      'members',
      'plans',
      'contacts',
      'housing',
      'teams',
      'meetings',
      'consents',
      'episodes',
      'housingHistory',
      'proposals',
      'electors',
      'shifts',
      'staff',
      'organisations',
    ] as const)
      expect({ part, empty: all[part].length === 0 }).toEqual({ part, empty: false });
  });
});
