import { hashPassword } from '../../libs/auth/src';
import { OVERVIEW_RECENT_CONTACTS, OverviewQueries, PersonStandingQueries, SipMeetingService } from '../../libs/domain/src';
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
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('gives the same rows as the separate statements, for every demo person and for all of them at once', async () => {
    const ids: string[] = (await db.dataSource.query(`SELECT id FROM person ORDER BY id`)).map((r: { id: string }) => r.id);
    expect(ids.length).toBeGreaterThan(5);
    for (const personIds of [...ids.map((id) => [id]), ids]) {
      const bundle = await queries.bundle(personIds);
      const groups = await queries.groupsByPersonIds(personIds);
      const members = await queries.membersByGroupIds(groups.map((g) => g.id));
      const plans = await queries.currentPlans(personIds);
      const contacts = await queries.recentContacts(personIds, OVERVIEW_RECENT_CONTACTS);
      const housing = await queries.currentHousing(personIds);
      const teams = await queries.actTeamsByPersonIds(personIds);
      const meetings = await new SipMeetingService(db.dataSource).forPersons(personIds);
      const consents = await new PersonStandingQueries(db.dataSource).consents(personIds);
      const staffIds = [...new Set([...members.map((m) => m.staffId), ...groups.map((g) => g.coordinatorStaffId), ...contacts.map((c) => c.staffId)].filter(Boolean))] as string[];
      const staff = await queries.staff(staffIds);
      const organisationIds = new Set<string>([
        ...staff.map((m) => m.organisationId),
        ...plans.flatMap((p) => [p.overallResponsibilityOrganisationId, ...p.interventions.map((i) => i.responsibleOrganisationId)]),
        ...housing.map((h) => h.providerOrganisationId),
        ...teams.map((t) => t.organisationId),
      ].filter((id): id is string => Boolean(id)));
      const organisations = await queries.organisations([...organisationIds]);

      expect(sorted(bundle.persons)).toEqual(sorted(await queries.persons(personIds)));
      expect(sorted(bundle.groups)).toEqual(sorted(groups));
      expect(bundle.members).toEqual(members);
      expect(sorted(bundle.plans)).toEqual(sorted(plans));
      expect(bundle.contacts).toEqual(contacts);
      expect(bundle.meetings).toEqual(meetings);
      expect(sorted(bundle.consents.map((c) => ({ ...c, id: `${c.personId}:${c.recordedAt.toISOString()}:${c.purpose}` })))).toEqual(
        sorted(consents.map((c) => ({ ...c, id: `${c.personId}:${c.recordedAt.toISOString()}:${c.purpose}` }))),
      );
      expect(sorted(bundle.housing)).toEqual(sorted(housing));
      expect(sorted(bundle.teams.map((t) => ({ ...t, id: `${t.personId}:${t.id}` })))).toEqual(sorted(teams.map((t) => ({ ...t, id: `${t.personId}:${t.id}` }))));
      expect(sorted(bundle.staff)).toEqual(sorted(staff));
      expect(sorted(bundle.organisations)).toEqual(sorted(organisations));
    }
    // The demo data has every part, so the comparison above compared something.
    const all = await queries.bundle(ids);
    for (const part of ['persons', 'groups', 'members', 'plans', 'contacts', 'housing', 'teams', 'meetings', 'consents', 'staff', 'organisations'] as const) expect(all[part].length).toBeGreaterThan(0);
  });
});
