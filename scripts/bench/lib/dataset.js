'use strict';
// The synthetic data set of the overview benchmark: created and migrated with the project's own
// openDatabase, then filled with set-based SQL (INSERT ... SELECT generate_series) in one transaction.
// A database already holding the same data set (same generator version and sizes) is reused.
const path = require('node:path');
const { Client } = require('pg');
const { root } = require('./ensure-build');

/** Bump when the generator changes so that old bench databases are rebuilt. */
const GENERATOR_VERSION = 'overview-bench-v3';

function datasetSpec(env = process.env) {
  const spec = {
    generator: GENERATOR_VERSION,
    persons: Number(env.BENCH_PERSONS ?? 10000),
    staff: Number(env.BENCH_STAFF ?? 2000),
    organisations: 20,
    contactsPerPerson: Number(env.BENCH_CONTACTS_PER_PERSON ?? 50),
  };
  if (!(spec.persons >= 1) || !(spec.staff >= 16) || spec.staff % 2 !== 0 || !(spec.contactsPerPerson >= 1)) {
    throw new Error('BENCH_PERSONS must be >= 1, BENCH_STAFF an even number >= 16, BENCH_CONTACTS_PER_PERSON >= 1');
  }
  return spec;
}

function adminUrl(databaseUrl) {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

function databaseName(databaseUrl) {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

async function withClient(url, work) {
  const client = new Client({ connectionString: url, application_name: 'samverka-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The data set the database says it holds (a JSON comment on the database), or null. */
async function loadedSpec(databaseUrl) {
  const name = databaseName(databaseUrl);
  return withClient(adminUrl(databaseUrl), async (c) => {
    const { rows } = await c.query(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (rows.length === 0) return undefined; // no database
    try {
      return JSON.parse(rows[0].comment ?? 'null');
    } catch {
      return null;
    }
  });
}

function sameSpec(a, b) {
  return (
    !!a && !!b && ['generator', 'persons', 'staff', 'organisations', 'contactsPerPerson'].every((k) => a[k] === b[k])
  );
}

/**
 * The whole data set, as statements over generate_series. Staff 0 .. S/2-1 work for the ten
 * municipal organisations, S/2 .. S-1 for the ten regional ones. Person i's group has k = 4..8
 * members; member j comes from the municipality when j is even and from the region when it is
 * odd, and members of one principal are S/8 apart in the staff pool, so they are always distinct.
 */
/** The tables the loader writes to. */
const LOADED_TABLES = [
  'organisation',
  'unit',
  'staff_member',
  'person',
  'collaboration_group',
  'group_member',
  'consent',
  'sip_plan',
  'sip_plan_version',
  'contact_entry',
  'housing_placement',
];

function loadStatements({ persons: P, staff: S, contactsPerPerson: C }) {
  const half = S / 2;
  const step = Math.floor(half / 4);
  return [
    `SET LOCAL synchronous_commit = off`,
    `CREATE FUNCTION pg_temp.luhn(nine text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
       SELECT ((10 - (sum(CASE WHEN d > 9 THEN d - 9 ELSE d END) % 10)) % 10)::int
         FROM (SELECT substr(nine, k, 1)::int * CASE WHEN k % 2 = 1 THEN 2 ELSE 1 END AS d FROM generate_series(1, 9) k) x $$`,

    // Organisations: ten municipal (social services, homelessness unit), ten regional (psychiatry, addiction, primary care).
    `CREATE TEMP TABLE b_org ON COMMIT DROP AS
       SELECT i, gen_random_uuid() AS id, CASE WHEN i < 10 THEN 'MUNICIPALITY' ELSE 'REGION' END AS principal,
              (ARRAY['Södermalm','Kungsholmen','Norrmalm','Östermalm','Farsta','Skärholmen','Spånga-Tensta','Rinkeby-Kista',
                     'Enskede-Årsta-Vantör','Hägersten-Älvsjö'])[i % 10 + 1] AS district
         FROM generate_series(0, 19) i`,
    `INSERT INTO organisation (id, name, principal, kind)
       SELECT id,
              CASE WHEN principal = 'MUNICIPALITY' THEN
                     CASE WHEN i % 2 = 0 THEN 'Socialtjänsten ' || district ELSE 'Uppsökarenheten ' || district END
                   ELSE (ARRAY['Psykiatriska mottagningen ','Beroendecentrum ','Vårdcentralen '])[i % 3 + 1] || district END,
              principal,
              CASE WHEN principal = 'MUNICIPALITY' THEN
                     CASE WHEN i % 2 = 0 THEN 'DISTRICT_SOCIAL_SERVICES' ELSE 'CITY_HOMELESSNESS_UNIT' END
                   ELSE (ARRAY['PSYCHIATRIC_CLINIC','ADDICTION_CARE','PRIMARY_CARE'])[i % 3 + 1] END
         FROM b_org`,
    `CREATE TEMP TABLE b_unit ON COMMIT DROP AS
       SELECT o.i AS org_i, u, gen_random_uuid() AS id, o.id AS org_id FROM b_org o CROSS JOIN generate_series(0, 1) u`,
    `INSERT INTO unit (id, organisation_id, name) SELECT id, org_id, 'Enhet ' || (u + 1) FROM b_unit`,

    // Staff.
    `CREATE TEMP TABLE b_staff ON COMMIT DROP AS
       SELECT s, gen_random_uuid() AS id, CASE WHEN s < ${half} THEN s % 10 ELSE 10 + s % 10 END AS org_i,
              CASE WHEN s < ${half} THEN 'MUNICIPALITY' ELSE 'REGION' END AS principal
         FROM generate_series(0, ${S - 1}) s`,
    `ALTER TABLE b_staff ADD PRIMARY KEY (s)`,
    `INSERT INTO staff_member (id, organisation_id, unit_id, given_name, family_name, profession, title, email, phone, active)
       SELECT b.id, o.id, u.id,
              (ARRAY['Anna','Erik','Maria','Johan','Sara','Karl','Emma','Lars','Fatima','Ahmed','Elin','Mikael','Sofia','Anders','Leila','Per'])[s % 16 + 1],
              (ARRAY['Andersson','Johansson','Karlsson','Nilsson','Eriksson','Larsson','Olsson','Persson','Svensson','Gustafsson',
                     'Pettersson','Jonsson','Jansson','Hansson','Bengtsson','Lindberg','Yilmaz','Hussein','Lindqvist','Berg'])[(s / 16) % 20 + 1]
                || ' ' || s,
              CASE WHEN b.principal = 'MUNICIPALITY'
                   THEN (ARRAY['SOCIAL_WORKER','CASE_MANAGER','HOUSING_SUPPORT_WORKER','OUTREACH_COORDINATOR','PEER_SUPPORT_WORKER'])[s % 5 + 1]
                   ELSE (ARRAY['NURSE','PSYCHIATRIST','PSYCHOLOGIST','SUBSTANCE_ABUSE_SPECIALIST','OCCUPATIONAL_THERAPIST'])[s % 5 + 1] END,
              CASE WHEN s % 3 = 0 THEN NULL ELSE 'Handläggare' END,
              'staff' || s || '@bench.example', '+46 8 555 ' || lpad((s % 10000)::text, 4, '0'), true
         FROM b_staff b JOIN b_org o ON o.i = b.org_i JOIN b_unit u ON u.org_i = b.org_i AND u.u = b.s % 2`,

    // Persons: mostly personnummer (valid Luhn digit), some samordningsnummer, reserve numbers and unidentified.
    `CREATE TEMP TABLE b_person ON COMMIT DROP AS
       SELECT i, gen_random_uuid() AS id,
              CASE WHEN i % 20 = 0 THEN 'UNIDENTIFIED' WHEN i % 20 = 1 THEN 'SAMORDNINGSNUMMER'
                   WHEN i % 20 = 2 THEN 'RESERVE_NUMBER' ELSE 'PERSONNUMMER' END AS kind,
              date '1950-01-01' + (i % 18000) AS born,
              10 + 2 * (i / 18000) + i % 2 AS birth_no,
              4 + (i * 7919) % 5 AS k
         FROM generate_series(0, ${P - 1}) i`,
    `ALTER TABLE b_person ADD PRIMARY KEY (i)`,
    `CREATE TEMP TABLE b_person_id ON COMMIT DROP AS
       SELECT i, CASE kind
                   WHEN 'PERSONNUMMER' THEN to_char(born, 'YYYYMMDD') || lpad(birth_no::text, 3, '0')
                     || pg_temp.luhn(to_char(born, 'YYMMDD') || lpad(birth_no::text, 3, '0'))
                   WHEN 'SAMORDNINGSNUMMER' THEN to_char(born, 'YYYYMM') || (extract(day FROM born)::int + 60) || lpad(birth_no::text, 3, '0')
                     || pg_temp.luhn(to_char(born, 'YYMM') || (extract(day FROM born)::int + 60) || lpad(birth_no::text, 3, '0'))
                   WHEN 'RESERVE_NUMBER' THEN '992024' || lpad(i::text, 6, '0')
                 END AS number
         FROM b_person`,
    // The home organisation is the coordinator's (member 0, from the municipality, see b_member below).
    `INSERT INTO person (id, identity_kind, identity_number, temporary_reference, given_name, family_name, birth_year, legal_gender,
                         protected_identity, children_status, children, preferred_contact_channel, phone, home_organisation_id)
       SELECT p.id, p.kind, n.number, 'BENCH-' || lpad(p.i::text, 7, '0'),
              (ARRAY['Alex','Kim','Robin','Jonna','Mats','Nadia','Omar','Lina','Peter','Ulla','Sami','Tove','Viktor','Yasmin'])[p.i % 14 + 1],
              (ARRAY['Lund','Holm','Ek','Sjöberg','Wallin','Engström','Forsberg','Ali','Sandberg','Lindgren','Axelsson','Nyström'])[(p.i / 14) % 12 + 1]
                || ' ' || p.i,
              extract(year FROM p.born)::int,
              CASE WHEN p.kind = 'UNIDENTIFIED' THEN 'UNKNOWN' WHEN p.birth_no % 2 = 1 THEN 'MALE' ELSE 'FEMALE' END,
              CASE WHEN p.i % 50 = 7 THEN 'SKYDDAD_FOLKBOKFORING' WHEN p.i % 50 = 13 THEN 'SEKRETESSMARKERING' ELSE 'NONE' END,
              CASE WHEN p.i % 10 = 3 THEN 'YES' WHEN p.i % 10 = 4 THEN 'NONE' ELSE 'UNKNOWN' END,
              CASE WHEN p.i % 10 = 3 THEN jsonb_build_array(jsonb_build_object('birthYear', 2010 + p.i % 12, 'livesWithPerson', false))
                   ELSE '[]'::jsonb END,
              (ARRAY['SMS','PHONE','LETTER','EMAIL','VIA_STAFF'])[p.i % 5 + 1],
              CASE WHEN p.i % 3 = 0 THEN NULL ELSE '+46 70 ' || lpad((p.i % 1000000)::text, 6, '0') END,
              (SELECT o.id FROM b_staff bs JOIN b_org o ON o.i = bs.org_i WHERE bs.s = (p.i * 37) % ${half})
         FROM b_person p JOIN b_person_id n USING (i)`,

    // Collaboration groups and their members (plus an ended membership in every fifth group).
    `CREATE TEMP TABLE b_member ON COMMIT DROP AS
       SELECT p.i, j, p.id AS person_id,
              CASE WHEN j % 2 = 0 THEN (p.i * 37 + (j / 2) * ${step}) % ${half}
                   ELSE ${half} + (p.i * 53 + 17 + (j / 2) * ${step}) % ${half} END AS s
         FROM b_person p CROSS JOIN LATERAL generate_series(0, p.k - 1) j`,
    `ALTER TABLE b_member ADD PRIMARY KEY (i, j)`,
    `CREATE TEMP TABLE b_group ON COMMIT DROP AS SELECT i, gen_random_uuid() AS id, id AS person_id FROM b_person`,
    `ALTER TABLE b_group ADD PRIMARY KEY (i)`,
    `INSERT INTO collaboration_group (id, person_id, coordinator_staff_id, membership_version)
       SELECT g.id, g.person_id, s.id, 1 + g.i % 3 FROM b_group g JOIN b_member m ON m.i = g.i AND m.j = 0 JOIN b_staff s ON s.s = m.s`,
    `INSERT INTO group_member (group_id, staff_id, role, principal, voting_representative, valid_from, valid_to)
       SELECT g.id, s.id,
              CASE WHEN m.j % 2 = 0 THEN (ARRAY['Samordnare','Socialsekreterare','Boendestödjare','Uppsökare'])[m.j / 2 + 1]
                   ELSE (ARRAY['Fast vårdkontakt','Psykiatriker','Beroendevård','Sjuksköterska'])[m.j / 2 + 1] END,
              s.principal, m.j < 2, date '2023-01-01' + (m.i % 600) + m.j, NULL
         FROM b_member m JOIN b_group g ON g.i = m.i JOIN b_staff s ON s.s = m.s
       UNION ALL
       SELECT g.id, s.id, 'Tidigare kontaktperson', s.principal, false, date '2021-01-01', date '2022-12-31'
         FROM b_group g JOIN b_staff s ON s.s = (g.i * 11 + 5) % ${S}
        WHERE g.i % 5 = 0`,
    // Every person consented in writing to sharing within the whole group (so the region's members see the
    // overview); one in ten also withholds housing from one regional organisation.
    `INSERT INTO consent (person_id, purpose, scope, limitations, given_how, valid_from, recorded_by)
       SELECT g.person_id, 'SHARING', 'WHOLE_GROUP',
              CASE WHEN g.i % 10 = 9 THEN jsonb_build_array(jsonb_build_object('organisationId', (SELECT id FROM b_org WHERE i = 10 + g.i % 10), 'category', 'HOUSING'))
                   ELSE '[]'::jsonb END,
              'WRITTEN', date '2023-01-01', s.id
         FROM b_group g JOIN b_member m ON m.i = g.i AND m.j = 0 JOIN b_staff s ON s.s = m.s`,

    // SIP plans: ACTIVE, with needs, interventions (each tied to a need), participants; one version row per revision.
    `CREATE TEMP TABLE b_need ON COMMIT DROP AS
       SELECT p.i, n, gen_random_uuid() AS id,
              (ARRAY['HOUSING','MENTAL_HEALTH','SUBSTANCE_USE','PHYSICAL_HEALTH','INCOME','DAILY_LIVING','SOCIAL_NETWORK',
                     'OCCUPATION','SAFETY','CHILDREN_AND_FAMILY','OTHER'])[(p.i + n * 3) % 11 + 1] AS area
         FROM b_person p CROSS JOIN LATERAL generate_series(0, 1 + p.i % 3) n`,
    `CREATE INDEX ON b_need (i, n)`,
    `CREATE TEMP TABLE b_plan ON COMMIT DROP AS
       SELECT p.i, gen_random_uuid() AS id, p.id AS person_id, 1 + p.i % 4 AS version,
              CASE WHEN p.i % 2 = 0 THEN 'MUNICIPALITY' ELSE 'REGION' END AS principal,
              (SELECT org_i FROM b_staff WHERE s = (SELECT s FROM b_member WHERE i = p.i AND j = p.i % 2)) AS org_i,
              (SELECT id FROM b_staff WHERE s = (SELECT s FROM b_member WHERE i = p.i AND j = 0)) AS created_by,
              date '2024-01-15' + (p.i % 300) AS consent_given_at,
              date '2025-06-01' + (p.i % 400) AS follow_up_on,
              (SELECT jsonb_agg(jsonb_build_object('id', n.id, 'area', n.area,
                        'description', 'Behov ' || (n.n + 1) || ': ' || lower(replace(n.area, '_', ' ')) || ' enligt kartläggning')
                        ORDER BY n.n)
                 FROM b_need n WHERE n.i = p.i) AS needs,
              (SELECT jsonb_agg(jsonb_build_object(
                        'id', gen_random_uuid(), 'needId', n.id,
                        'description', (ARRAY['Boendestöd två gånger i veckan','Läkemedelsgenomgång','Motiverande samtal',
                                              'Ansökan om försörjningsstöd','Hembesök av ACT-teamet','Kontakt med beroendevården'])[(n.i + n.n) % 6 + 1],
                        'responsiblePrincipal', CASE WHEN n.n % 2 = 0 THEN 'MUNICIPALITY' ELSE 'REGION' END,
                        'responsibleOrganisationId', (SELECT o.id FROM b_org o WHERE o.i = CASE WHEN n.n % 2 = 0 THEN n.i % 10 ELSE 10 + n.i % 10 END),
                        'responsibleUnitId', NULL,
                        'status', (ARRAY['PLANNED','ONGOING','ONGOING','COMPLETED'])[(n.i + n.n) % 4 + 1]) ORDER BY n.n)
                 FROM b_need n WHERE n.i = p.i) AS interventions,
              (SELECT jsonb_build_array(jsonb_build_object('kind', 'PERSON', 'staffId', NULL, 'relativeId', NULL, 'name', NULL, 'summoned', false))
                      || jsonb_agg(jsonb_build_object('kind', 'STAFF', 'staffId', s.id, 'relativeId', NULL, 'name', NULL, 'summoned', true) ORDER BY m.j)
                 FROM b_member m JOIN b_staff s ON s.s = m.s WHERE m.i = p.i AND m.j < 2) AS participants,
              CASE WHEN p.i % 4 = 0 THEN jsonb_build_array(jsonb_build_object('id', gen_random_uuid(), 'organisationId', NULL,
                        'actorName', 'Stadsmissionen', 'description', 'Stöd vid besök på dagverksamheten'))
                   ELSE '[]'::jsonb END AS other_measures
         FROM b_person p`,
    `INSERT INTO sip_plan (id, person_id, status, overall_responsibility_principal, overall_responsibility_organisation_id, person_goals,
                           needs, interventions, other_measures, participants, consent_given_at, consent_valid_until, follow_up_on,
                           version, created_by)
       SELECT b.id, b.person_id, 'ACTIVE', b.principal, o.id, 'Få en egen bostad och behålla kontakten med vården',
              b.needs, b.interventions, b.other_measures, b.participants, b.consent_given_at, b.consent_given_at + 365,
              b.follow_up_on, b.version, b.created_by
         FROM b_plan b JOIN b_org o ON o.i = b.org_i`,
    `INSERT INTO sip_plan_version (plan_id, version, changed_by, changed_at, changes, snapshot)
       SELECT b.id, v, b.created_by, now() - make_interval(days => 10 * (b.version - v)),
              CASE WHEN v = 1 THEN ARRAY['created'] ELSE ARRAY['interventions'] END,
              jsonb_build_object('status', CASE WHEN v = 1 THEN 'DRAFT' ELSE 'ACTIVE' END,
                'overallResponsibilityPrincipal', b.principal, 'overallResponsibilityOrganisationId', o.id,
                'personGoals', 'Få en egen bostad och behålla kontakten med vården', 'needs', b.needs,
                'interventions', b.interventions, 'otherMeasures', b.other_measures, 'participants', b.participants,
                'consentGivenAt', to_char(b.consent_given_at, 'YYYY-MM-DD'),
                'consentValidUntil', to_char(b.consent_given_at + 365, 'YYYY-MM-DD'),
                'followUpOn', to_char(b.follow_up_on, 'YYYY-MM-DD'))
         FROM b_plan b JOIN b_org o ON o.i = b.org_i CROSS JOIN LATERAL generate_series(1, b.version) v`,

    // The timeline: C contacts per person, newest about a day ago, each by one of the person's group
    // members: a third by the coordinator, the rest spread unevenly, so the latest ten usually name
    // some but not all of the roster (as in life, and so the overview's staff loads really batch).
    `INSERT INTO contact_entry (person_id, staff_id, occurred_at, kind, location, summary)
       SELECT p.id, s.id,
              date_trunc('minute', now()) - make_interval(days => 1 + e * 9 + p.i % 7, mins => (p.i * 13 + e * 37) % 600),
              (ARRAY['SIP_MEETING','TEAM_MEETING','PHONE','HOME_VISIT','OUTREACH','ACCOMPANYING_TO_CARE','OFFICE_VISIT'])[(p.i + e) % 7 + 1],
              CASE WHEN e % 3 = 0 THEN NULL ELSE (ARRAY['Mottagningen','Härbärget Klara','Hemmet','Centralstationen','Dagverksamheten'])[(p.i + e) % 5 + 1] END,
              'Kontakt ' || (e + 1) || ': ' ||
              (ARRAY['Pratade om boendet och nästa steg i planen.','Följde med till vårdcentralen för provtagning.',
                     'Telefonsamtal om försörjningsstöd och hyresavi.','Uppsökande kontakt; personen sov ute i natt.',
                     'Samordnat möte med region och kommun om insatserna.','Läkemedelsuppföljning, mår något bättre.'])[(p.i * 3 + e) % 6 + 1]
         FROM b_person p CROSS JOIN generate_series(0, ${C - 1}) e
         JOIN b_member m ON m.i = p.i AND m.j = CASE WHEN e % 3 = 0 THEN 0 ELSE (p.i * 31 + e * e * 17 + e * 5) % p.k END
         JOIN b_staff s ON s.s = m.s`,

    // Housing: 2 to 4 consecutive placements, the last one current (ended_on NULL).
    `INSERT INTO housing_placement (person_id, kind, provider_organisation_id, address, started_on, ended_on, note)
       SELECT p.id,
              (ARRAY['STREET','EMERGENCY_SHELTER','SUPPORTED_HOUSING','SUPPORTED_HOUSING_DRUG_TOLERANT','TRAINING_FLAT',
                     'HOUSING_FIRST_FLAT','OWN_LEASE'])[(n + p.i % 3 * (CASE WHEN n = 0 THEN 0 ELSE 1 END)) % 7 + 1],
              CASE WHEN n = 0 THEN NULL ELSE (SELECT o.id FROM b_org o WHERE o.i = p.i % 10) END,
              CASE WHEN n = 0 THEN NULL ELSE 'Bostadsgatan ' || (p.i % 200 + 1) || ', Stockholm' END,
              date '2019-01-01' + n * 400 + p.i % 200,
              CASE WHEN n < h - 1 THEN date '2019-01-01' + (n + 1) * 400 + p.i % 200 - 1 END,
              CASE WHEN n = h - 1 THEN 'Nuvarande boende' END
         FROM b_person p CROSS JOIN LATERAL (SELECT 2 + p.i % 3 AS h) hh CROSS JOIN LATERAL generate_series(0, hh.h - 1) n`,
  ];
}

/** Every foreign key of the schema (from the catalogue, so new migrations are covered), checked set-based. */
async function verifyForeignKeys(client) {
  const { rows: keys } = await client.query(`
    SELECT c.conname, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
           array_agg(a.attname::text ORDER BY k.ord) AS child_cols, array_agg(af.attname::text ORDER BY k.ord) AS parent_cols
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_att, parent_att, ord)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child_att
      JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.parent_att
     WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
     GROUP BY c.conname, c.conrelid, c.confrelid`);
  const q = (name) => `"${name.replace(/"/g, '""')}"`;
  for (const key of keys) {
    const notNull = key.child_cols.map((col) => `c.${q(col)} IS NOT NULL`).join(' AND ');
    const match = key.child_cols.map((col, i) => `p.${q(key.parent_cols[i])} = c.${q(col)}`).join(' AND ');
    const { rows } = await client.query(
      `SELECT count(*)::int AS broken FROM ${key.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${match})`,
    );
    if (rows[0].broken > 0)
      throw new Error(`dataset: ${rows[0].broken} rows of ${key.child} break foreign key ${key.conname}`);
  }
  return keys.length;
}

/**
 * Makes sure `databaseUrl` names a migrated database holding the data set `spec`: reuses it when it
 * does, otherwise drops it, creates and migrates it with the project's openDatabase, and loads it.
 */
async function ensureDataset(databaseUrl, spec, log = console.log) {
  const name = databaseName(databaseUrl);
  const current = await loadedSpec(databaseUrl);
  if (sameSpec(current, spec)) {
    const persons = await withClient(databaseUrl, async (c) =>
      Number((await c.query('SELECT count(*) FROM person')).rows[0].count),
    );
    if (persons === spec.persons) {
      log(
        `dataset: reusing database ${name} (${spec.persons} persons, ${spec.staff} staff, loaded ${current.loadedAt})`,
      );
      return { reused: true, loadSeconds: current.loadSeconds };
    }
  }
  if (current !== undefined) {
    log(`dataset: database ${name} holds ${current ? JSON.stringify(current) : 'another data set'}; dropping it`);
    await withClient(adminUrl(databaseUrl), (c) => c.query(`DROP DATABASE "${name.replace(/"/g, '""')}" WITH (FORCE)`));
  }

  // Create and migrate exactly as the API does at start.
  require('reflect-metadata');
  const { openDatabase } = require(path.join(root, 'dist/libs/domain/src'));
  const { loadConfig } = require(path.join(root, 'dist/libs/infrastructure/src'));
  const started = process.hrtime.bigint();
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '2', SEED_DEMO_DATA: 'false' });
  const dataSource = await openDatabase(config, { migrate: true });
  await dataSource.destroy();
  const migrated = process.hrtime.bigint();
  log(
    `dataset: created and migrated ${name} in ${(Number(migrated - started) / 1e9).toFixed(1)} s; loading ${spec.persons} persons ...`,
  );

  await withClient(databaseUrl, async (c) => {
    await c.query('BEGIN');
    try {
      // Row-level foreign-key triggers would double the load time. The data is consistent by
      // construction and verifyForeignKeys() checks every foreign key with one anti-join afterwards;
      // CHECK, NOT NULL and UNIQUE constraints are enforced as usual. Replication role "replica" also
      // silences ordinary triggers, so it is used only while no table loaded here has an INSERT trigger
      // (a guard a later migration might add).
      const { rows: guards } = await c.query(
        `SELECT tgrelid::regclass::text AS "table", tgname AS name FROM pg_trigger
          WHERE NOT tgisinternal AND tgenabled <> 'D' AND (tgtype & 4) <> 0 AND tgrelid = ANY($1::regclass[])`,
        [LOADED_TABLES],
      );
      if (guards.length === 0) await c.query('SET LOCAL session_replication_role = replica');
      else
        log(
          `dataset: INSERT triggers on ${guards.map((g) => `${g.table}.${g.name}`).join(', ')}; loading with all triggers active (slower)`,
        );
      for (const sql of loadStatements(spec)) await c.query(sql);
      const keys = await verifyForeignKeys(c);
      log(`dataset: all ${keys} foreign keys verified`);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  const loaded = process.hrtime.bigint();
  await withClient(databaseUrl, (c) => c.query('VACUUM (ANALYZE)'));
  const analysed = process.hrtime.bigint();
  const loadSeconds = Number(loaded - migrated) / 1e9;
  const vacuumSeconds = Number(analysed - loaded) / 1e9;

  const counts = await withClient(databaseUrl, async (c) => {
    const { rows } = await c.query(`SELECT
        (SELECT count(*) FROM organisation) AS organisations, (SELECT count(*) FROM staff_member) AS staff,
        (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM group_member) AS group_members,
        (SELECT count(*) FROM sip_plan) AS sip_plans, (SELECT count(*) FROM sip_plan_version) AS sip_plan_versions,
        (SELECT count(*) FROM contact_entry) AS contact_entries, (SELECT count(*) FROM housing_placement) AS housing_placements,
        pg_size_pretty(pg_database_size(current_database())) AS size`);
    return rows[0];
  });
  log(
    `dataset: loaded in ${loadSeconds.toFixed(1)} s (+ ${vacuumSeconds.toFixed(1)} s VACUUM ANALYZE): ${JSON.stringify(counts)}`,
  );

  const comment = JSON.stringify({
    ...spec,
    loadedAt: new Date().toISOString(),
    loadSeconds: Number(loadSeconds.toFixed(1)),
  });
  await withClient(adminUrl(databaseUrl), (c) =>
    c.query(`COMMENT ON DATABASE "${name.replace(/"/g, '""')}" IS '${comment.replace(/'/g, "''")}'`),
  );
  return { reused: false, loadSeconds };
}

/**
 * The owner and application roles for the data set's database, as `npm start` sets them up: the servers
 * under test connect as the application role (production refuses a superuser or the owner), the bench
 * itself keeps its superuser URL for what only an owner may do (emptying the access log between phases).
 */
async function provisionRoles(databaseUrl) {
  const { ensureRolesAndDatabase, applyGrants, roleOf } = require(
    path.join(root, 'dist/libs/domain/src/database/roles'),
  );
  const as = (user) => {
    const url = new URL(databaseUrl);
    url.username = user;
    url.password = '';
    return url.toString();
  };
  const urls = { owner: as('samverka_owner'), app: as('samverka_app') };
  await ensureRolesAndDatabase(adminUrl(databaseUrl), urls.owner, urls.app);
  await withClient(urls.owner, (c) =>
    applyGrants({ query: async (sql, params) => (await c.query(sql, params)).rows }, roleOf(urls.app)),
  );
  return urls;
}

module.exports = { datasetSpec, ensureDataset, provisionRoles, loadStatements, withClient, databaseName, adminUrl };
