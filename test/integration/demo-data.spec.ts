import { hashPassword } from '../../libs/auth/src/password';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The demo data set promised in the README: a synthetic Stockholm setting, loaded once. */
describe('demo data', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('loads 16 persons (8 women, 8 men, 23-63) with plans, groups of both principals, timelines and housing; then never again', async () => {
    const logins = await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p, 4) });
    expect(logins).not.toBeNull();
    const professions = new Set(logins!.map((l) => l.profession));
    expect(professions.size).toBeGreaterThanOrEqual(10);
    const [admin] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM staff_member WHERE administrator AND username IS NOT NULL`,
    );
    expect(admin.n).toBe(1);

    const persons = await db.dataSource.query(`SELECT legal_gender, birth_year FROM person`);
    expect(persons).toHaveLength(16);
    // Reminders have something to work from: planned SIP meetings and, by trigger, outbox rows for them.
    const [meetings] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM sip_meeting WHERE status = 'PLANNED' AND starts_at > now()`,
    );
    expect(meetings.n).toBe(8);
    const [outbox] = await db.dataSource.query(
      `SELECT count(DISTINCT ref)::int AS n FROM outbox WHERE topic = 'reconcile'`,
    );
    expect(outbox.n).toBe(16);
    expect(persons.filter((p: any) => p.legal_gender === 'FEMALE')).toHaveLength(8);
    expect(persons.filter((p: any) => p.legal_gender === 'MALE')).toHaveLength(8);
    const year = new Date().getUTCFullYear();
    for (const p of persons) {
      expect(year - p.birth_year).toBeGreaterThanOrEqual(23);
      expect(year - p.birth_year).toBeLessThanOrEqual(64); // 63 years old, birthday later this year
    }

    const groups = await db.dataSource.query(`
      SELECT g.person_id,
             bool_or(m.voting_representative AND m.principal = 'MUNICIPALITY') AS m_vote,
             bool_or(m.voting_representative AND m.principal = 'REGION') AS r_vote
        FROM collaboration_group g JOIN group_member m ON m.group_id = g.id GROUP BY g.person_id`);
    expect(groups).toHaveLength(16);
    expect(groups.every((g: any) => g.m_vote && g.r_vote)).toBe(true);
    const [{ plans }] = await db.dataSource.query(`SELECT count(DISTINCT person_id)::int AS plans FROM sip_plan`);
    const [{ contacts }] = await db.dataSource.query(
      `SELECT min(n)::int AS contacts FROM (SELECT count(*) n FROM contact_entry GROUP BY person_id) c`,
    );
    const [{ housed }] = await db.dataSource.query(
      `SELECT count(DISTINCT person_id)::int AS housed FROM housing_placement WHERE ended_on IS NULL`,
    );
    expect(plans).toBe(16);
    expect(contacts).toBeGreaterThanOrEqual(10);
    expect(housed).toBe(16);
    const [{ withEpisodes }] = await db.dataSource.query(
      `SELECT count(DISTINCT person_id)::int AS "withEpisodes" FROM care_episode WHERE status = 'ACTIVE'`,
    );
    expect(withEpisodes).toBe(16);
    const [{ both }] = await db.dataSource.query(
      `SELECT count(*)::int AS both FROM (SELECT person_id FROM care_episode GROUP BY person_id HAVING count(DISTINCT principal) = 2) x`,
    );
    expect(both).toBe(16);
    const [{ teams }] = await db.dataSource.query(`SELECT count(*)::int AS teams FROM act_team`);
    expect(teams).toBe(1);

    // Written in Swedish, as staff write it (issue 11, section 4): needs, goals, interventions, other actors'
    // commitments, timeline notes, housing notes, relatives and roles in the group.
    const texts: Array<{ t: string }> = await db.dataSource.query(`
      SELECT person_goals AS t FROM sip_plan
      UNION ALL SELECT n->>'description' FROM sip_plan, jsonb_array_elements(needs) n
      UNION ALL SELECT i->>'description' FROM sip_plan, jsonb_array_elements(interventions) i
      UNION ALL SELECT o->>'description' FROM sip_plan, jsonb_array_elements(other_measures) o
      UNION ALL SELECT summary FROM contact_entry
      UNION ALL SELECT note FROM housing_placement WHERE note IS NOT NULL
      UNION ALL SELECT relation || ' ' || coalesce(support_needs, '') FROM relative
      UNION ALL SELECT role FROM group_member
      UNION ALL SELECT role FROM act_team_member`);
    expect(texts.length).toBeGreaterThan(300);
    const english =
      /\b(the|and|with|of|to|for|has|was|is|not|after|visit|meeting|worker|flat|support|treatment|sister|mother|nurse)\b/i;
    expect(texts.map((r) => r.t).filter((t) => english.test(t))).toEqual([]);
    expect(texts.map((r) => r.t).filter((t) => /utskrivning av aktualitet|utskriv.*aktualitet/i.test(t))).toEqual([]);

    expect(await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p, 4) })).toBeNull();
    expect(await db.dataSource.query(`SELECT id FROM person`)).toHaveLength(16);
  });
});
