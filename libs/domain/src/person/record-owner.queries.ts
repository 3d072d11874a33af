import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';

/** The kinds of record an outside reference can name by id alone (the FHIR API's resource ids). */
export enum RecordKind {
  PLAN = 'PLAN',
  /** A need of a plan (by its id in the plan), or the person's own goals (by the plan's id). */
  PLAN_GOAL = 'PLAN_GOAL',
  INTERVENTION = 'INTERVENTION',
  GROUP = 'GROUP',
  CONSENT = 'CONSENT',
  EPISODE = 'EPISODE',
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const OWNER_SQL: Record<RecordKind, string> = {
  [RecordKind.PLAN]: `SELECT person_id FROM sip_plan WHERE id = $1::uuid`,
  [RecordKind.PLAN_GOAL]: `SELECT person_id FROM sip_plan WHERE id = $1::uuid OR needs @> jsonb_build_array(jsonb_build_object('id', $1::text))`,
  [RecordKind.INTERVENTION]: `SELECT person_id FROM sip_plan WHERE interventions @> jsonb_build_array(jsonb_build_object('id', $1::text))`,
  [RecordKind.GROUP]: `SELECT person_id FROM collaboration_group WHERE id = $1::uuid`,
  [RecordKind.CONSENT]: `SELECT person_id FROM consent WHERE id = $1::uuid`,
  [RecordKind.EPISODE]: `SELECT person_id FROM care_episode WHERE id = $1::uuid`,
};

/**
 * Which person a record belongs to, by the record's id: only the id, never the record, and no access
 * decision. A caller reads the record afterwards through the person, where the access policy decides
 * and logs (an unknown id and a refused one then look the same).
 */
@Injectable()
export class RecordOwnerQueries {
  constructor(private readonly db: DataSource) {}

  async personOf(kind: RecordKind, id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const rows = await sql<{ person_id: string }>(this.db, `${OWNER_SQL[kind]} LIMIT 1`, [id]);
    return rows[0]?.person_id ?? null;
  }
}
