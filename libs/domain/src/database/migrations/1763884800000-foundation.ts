import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisations, staff, persons, collaboration groups, ACT teams, SIP plans, timeline, housing, access log. */
export class Foundation1763884800000 implements MigrationInterface {
  name = 'Foundation1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        principal text NOT NULL CHECK (principal IN ('MUNICIPALITY','REGION','OTHER')),
        kind text NOT NULL CHECK (kind IN ('DISTRICT_SOCIAL_SERVICES','CITY_HOMELESSNESS_UNIT','PSYCHIATRIC_CLINIC',
          'ADDICTION_CARE','PRIMARY_CARE','NGO','HOUSING_PROVIDER','OTHER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name)
      );

      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        name text NOT NULL,
        UNIQUE (organisation_id, name)
      );

      CREATE TABLE staff_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        unit_id uuid REFERENCES unit(id),
        given_name text NOT NULL,
        family_name text NOT NULL,
        profession text NOT NULL CHECK (profession IN ('SOCIAL_WORKER','CASE_MANAGER','NURSE','PSYCHIATRIST','PSYCHOLOGIST',
          'OCCUPATIONAL_THERAPIST','SUBSTANCE_ABUSE_SPECIALIST','PEER_SUPPORT_WORKER','HOUSING_SUPPORT_WORKER',
          'OUTREACH_COORDINATOR','OTHER')),
        title text,
        email text,
        phone text,
        active boolean NOT NULL DEFAULT true,
        username text UNIQUE,
        password_hash text,
        external_subject text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX staff_member_organisation_idx ON staff_member (organisation_id);

      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity_kind text NOT NULL CHECK (identity_kind IN ('PERSONNUMMER','SAMORDNINGSNUMMER','RESERVE_NUMBER','UNIDENTIFIED')),
        identity_number text CHECK (identity_number ~ '^[0-9]{12}$'),
        temporary_reference text NOT NULL UNIQUE,
        given_name text NOT NULL,
        family_name text NOT NULL,
        birth_year int CHECK (birth_year BETWEEN 1900 AND 2100),
        legal_gender text NOT NULL CHECK (legal_gender IN ('FEMALE','MALE','UNKNOWN')),
        protected_identity text NOT NULL DEFAULT 'NONE'
          CHECK (protected_identity IN ('NONE','SEKRETESSMARKERING','SKYDDAD_FOLKBOKFORING','FINGERADE_PERSONUPPGIFTER')),
        children_status text NOT NULL DEFAULT 'UNKNOWN' CHECK (children_status IN ('UNKNOWN','NONE','YES')),
        children jsonb NOT NULL DEFAULT '[]',
        preferred_contact_channel text NOT NULL DEFAULT 'VIA_STAFF'
          CHECK (preferred_contact_channel IN ('SMS','PHONE','LETTER','EMAIL','VIA_STAFF')),
        phone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((identity_kind = 'UNIDENTIFIED') = (identity_number IS NULL)),
        CHECK (children_status = 'YES' OR children = '[]'::jsonb)
      );
      CREATE UNIQUE INDEX person_identity_number_key ON person (identity_number) WHERE identity_number IS NOT NULL;

      CREATE TABLE relative (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        name text NOT NULL,
        relation text NOT NULL,
        phone text,
        may_participate boolean NOT NULL DEFAULT false,
        support_needs text
      );
      CREATE INDEX relative_person_idx ON relative (person_id);

      CREATE TABLE collaboration_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id),
        coordinator_staff_id uuid REFERENCES staff_member(id),
        membership_version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE group_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        group_id uuid NOT NULL REFERENCES collaboration_group(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        role text NOT NULL,
        principal text NOT NULL CHECK (principal IN ('MUNICIPALITY','REGION','OTHER')),
        voting_representative boolean NOT NULL DEFAULT false,
        valid_from date NOT NULL,
        valid_to date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CHECK (NOT voting_representative OR principal <> 'OTHER')
      );
      -- A staff member holds at most one open-ended place in a group.
      CREATE UNIQUE INDEX group_member_open_key ON group_member (group_id, staff_id) WHERE valid_to IS NULL;
      CREATE INDEX group_member_group_idx ON group_member (group_id);
      CREATE INDEX group_member_staff_idx ON group_member (staff_id, group_id);

      CREATE TABLE act_team (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        on_call_phone text,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE act_team_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES act_team(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        role text NOT NULL,
        fte numeric(3,2) NOT NULL DEFAULT 1 CHECK (fte > 0 AND fte <= 1),
        valid_from date NOT NULL,
        valid_to date,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      );
      CREATE UNIQUE INDEX act_team_member_open_key ON act_team_member (team_id, staff_id) WHERE valid_to IS NULL;
      CREATE INDEX act_team_member_staff_idx ON act_team_member (staff_id, team_id);

      CREATE TABLE act_on_call_shift (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES act_team(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX act_on_call_shift_team_idx ON act_on_call_shift (team_id, starts_at);

      CREATE TABLE act_team_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES act_team(id),
        person_id uuid NOT NULL REFERENCES person(id),
        case_manager_staff_id uuid REFERENCES staff_member(id),
        valid_from date NOT NULL,
        valid_to date,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      );
      CREATE UNIQUE INDEX act_team_client_open_key ON act_team_client (team_id, person_id) WHERE valid_to IS NULL;
      CREATE INDEX act_team_client_person_idx ON act_team_client (person_id);

      CREATE TABLE sip_plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        status text NOT NULL CHECK (status IN ('DRAFT','ACTIVE','UNDER_REVISION','CLOSED')),
        overall_responsibility_principal text CHECK (overall_responsibility_principal IN ('MUNICIPALITY','REGION')),
        overall_responsibility_organisation_id uuid REFERENCES organisation(id),
        person_goals text NOT NULL DEFAULT '',
        needs jsonb NOT NULL DEFAULT '[]',
        interventions jsonb NOT NULL DEFAULT '[]',
        other_measures jsonb NOT NULL DEFAULT '[]',
        participants jsonb NOT NULL DEFAULT '[]',
        consent_given_at date,
        consent_valid_until date,
        follow_up_on date,
        version int NOT NULL CHECK (version >= 1),
        created_by uuid NOT NULL REFERENCES staff_member(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status IN ('DRAFT','CLOSED') OR (consent_given_at IS NOT NULL AND overall_responsibility_principal IS NOT NULL
               AND follow_up_on IS NOT NULL))
      );
      -- One plan in force (or being drafted or revised) per person at a time.
      CREATE UNIQUE INDEX sip_plan_current_key ON sip_plan (person_id) WHERE status <> 'CLOSED';

      CREATE TABLE sip_plan_version (
        plan_id uuid NOT NULL REFERENCES sip_plan(id),
        version int NOT NULL,
        changed_by uuid NOT NULL REFERENCES staff_member(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        changes text[] NOT NULL,
        snapshot jsonb NOT NULL,
        PRIMARY KEY (plan_id, version)
      );

      CREATE TABLE contact_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        occurred_at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SIP_MEETING','TEAM_MEETING','PHONE','HOME_VISIT','OUTREACH',
          'ACCOMPANYING_TO_CARE','OFFICE_VISIT')),
        location text,
        summary text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX contact_entry_person_time_idx ON contact_entry (person_id, occurred_at DESC, id DESC);

      CREATE TABLE housing_placement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        kind text NOT NULL CHECK (kind IN ('STREET','EMERGENCY_SHELTER','SUPPORTED_HOUSING','SUPPORTED_HOUSING_DRUG_TOLERANT',
          'TRAINING_FLAT','TRIAL_FLAT','HOUSING_FIRST_FLAT','OWN_LEASE','INSTITUTION','HOSPITAL')),
        provider_organisation_id uuid REFERENCES organisation(id),
        address text,
        started_on date NOT NULL,
        ended_on date,
        note text,
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      );
      CREATE INDEX housing_placement_person_idx ON housing_placement (person_id, started_on DESC);

      CREATE TABLE access_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        staff_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        unit_id uuid,
        person_id uuid NOT NULL,
        action text NOT NULL
      );
      CREATE INDEX access_log_person_idx ON access_log (person_id, occurred_at);
      CREATE INDEX access_log_time_idx ON access_log (occurred_at);

      -- History is evidence: versions and access-log rows are written once and never changed.
      -- (Deleting old access-log rows is allowed: retention is at least five years, enforced by configuration.)
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER sip_plan_version_immutable BEFORE UPDATE OR DELETE ON sip_plan_version
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER access_log_immutable BEFORE UPDATE ON access_log
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE access_log, housing_placement, contact_entry, sip_plan_version, sip_plan, act_team_client,
        act_on_call_shift, act_team_member, act_team, group_member, collaboration_group, relative, person,
        staff_member, unit, organisation;
      DROP FUNCTION refuse_change();
    `);
  }
}
