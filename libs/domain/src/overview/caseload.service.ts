import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { SipPlanStatus } from '../sip-plan/sip-plan.content';
import { today } from '../time';
import { daysSinceSql } from './person-standing';
import { sql } from '../database/sql';

export enum CaseloadReason {
  COLLABORATION_GROUP = 'COLLABORATION_GROUP',
  ACT_TEAM = 'ACT_TEAM',
}

export interface CaseloadRow {
  personId: string;
  reasons: CaseloadReason[];
  planId: string | null;
  planStatus: SipPlanStatus | null;
  nextFollowUpOn: string | null;
  /** The latest contact on the timeline; null when there is none. */
  lastContactAt: Date | null;
  /** Whole days since the latest contact (see daysSince); null when there is none. */
  daysSinceLastContact: number | null;
  /** Open proposals of the person's group that still wait for this staff member's vote. */
  votesMissing: number;
}

/** How the caseload is ordered. */
export enum CaseloadSort {
  /** Soonest follow-up first; persons without a follow-up date last. */
  FOLLOW_UP = 'FOLLOW_UP',
  /** Longest without contact first; persons never contacted first of all. */
  LAST_CONTACT = 'LAST_CONTACT',
  /** By family name, then given name. */
  NAME = 'NAME',
}

/** Which persons of the caseload to list; every condition given must hold. */
export interface CaseloadFilter {
  /** Only persons whose plan's follow-up date has passed. */
  followUpOverdue?: boolean | null;
  /** Only persons with an open proposal that waits for your vote. */
  awaitingMyVote?: boolean | null;
  /** Only persons without a contact for at least this many days (or never contacted). */
  noContactForDays?: number | null;
}

/** Sorts persons without a follow-up date last. */
const NO_DATE = '9999-12-31';

const FOLLOW_UP_KEY = `coalesce(to_char(sp.follow_up_on, 'YYYY-MM-DD'), '${NO_DATE}')`;
/** Never contacted sorts before every date (''), so "longest without contact" comes first. */
const LAST_CONTACT_KEY = `coalesce(to_char(lc.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '')`;
const NAME_KEY = `lower(pe.family_name || ' ' || pe.given_name)`;
const SORT_KEYS: Record<CaseloadSort, string> = {
  [CaseloadSort.FOLLOW_UP]: FOLLOW_UP_KEY,
  [CaseloadSort.LAST_CONTACT]: LAST_CONTACT_KEY,
  [CaseloadSort.NAME]: NAME_KEY,
};

/**
 * $1 staff, $2 day, $3/$4 cursor (sort key, person id), $5 limit, $6 follow-up overdue only,
 * $7 awaiting my vote only, $8 no contact for at least this many days.
 */
export function caseloadSql(sort: CaseloadSort = CaseloadSort.FOLLOW_UP): string {
  const key = SORT_KEYS[sort];
  return `
  WITH mine AS (
    SELECT g.person_id, 'COLLABORATION_GROUP' AS reason
      FROM group_member m JOIN collaboration_group g ON g.id = m.group_id
     WHERE m.staff_id = $1 AND ${activeOn('m', '$2')}
    UNION
    SELECT c.person_id, 'ACT_TEAM'
      FROM act_team_member tm JOIN act_team_client c ON c.team_id = tm.team_id
     WHERE tm.staff_id = $1 AND ${activeOn('tm', '$2')} AND ${activeOn('c', '$2')}
  ), persons AS (
    SELECT person_id, array_agg(DISTINCT reason ORDER BY reason) AS reasons FROM mine GROUP BY person_id
  ), rows AS (
    SELECT p.person_id AS "personId", p.reasons, sp.id AS "planId", sp.status AS "planStatus",
           to_char(sp.follow_up_on, 'YYYY-MM-DD') AS "nextFollowUpOn",
           lc.at AS "lastContactAt", ${daysSinceSql('lc.at', '$2')} AS "daysSinceLastContact",
           (SELECT count(*)::int FROM proposal pr JOIN proposal_elector e ON e.proposal_id = pr.id
             WHERE pr.person_id = p.person_id AND pr.status = 'OPEN' AND e.staff_id = $1 AND e.choice IS NULL) AS "votesMissing",
           ${key} AS "sortKey", sp.follow_up_on
      FROM persons p
      JOIN person pe ON pe.id = p.person_id
      LEFT JOIN sip_plan sp ON sp.person_id = p.person_id AND sp.status <> 'CLOSED'
      LEFT JOIN LATERAL (SELECT max(occurred_at) AS at FROM contact_entry ce WHERE ce.person_id = p.person_id) lc ON true
  )
  SELECT "personId", reasons, "planId", "planStatus", "nextFollowUpOn", "lastContactAt", "daysSinceLastContact", "votesMissing", "sortKey"
    FROM rows
   WHERE ($3::text IS NULL OR ("sortKey", "personId") > ($3::text, $4::uuid))
     AND (NOT $6::boolean OR (follow_up_on IS NOT NULL AND follow_up_on < $2::date))
     AND (NOT $7::boolean OR "votesMissing" > 0)
     AND ($8::int IS NULL OR "daysSinceLastContact" IS NULL OR "daysSinceLastContact" >= $8::int)
   ORDER BY "sortKey", "personId"
   LIMIT $5`;
}

/** The default order's statement (soonest follow-up first, no filter), as the benchmark's baseline runs it. */
export const CASELOAD_SQL = caseloadSql(CaseloadSort.FOLLOW_UP);

/** A staff member's persons (through a collaboration group or an ACT team), soonest follow-up first unless sorted otherwise. */
@Injectable()
export class CaseloadService {
  constructor(private readonly db: DataSource) {}

  async forStaff(
    staffId: string,
    page: PageRequest,
    options: { sort?: CaseloadSort | null; filter?: CaseloadFilter | null } = {},
  ): Promise<Page<CaseloadRow>> {
    const after = decodeCursor(page.after);
    const filter = options.filter ?? {};
    const rows = await sql<CaseloadRow & { sortKey: string }>(
      this.db,
      caseloadSql(options.sort ?? CaseloadSort.FOLLOW_UP),
      [
        staffId,
        today(),
        after?.sortKey ?? null,
        after?.id ?? null,
        page.first + 1,
        filter.followUpOverdue === true,
        filter.awaitingMyVote === true,
        filter.noContactForDays ?? null,
      ],
    );
    return toPage(rows, page, (r) => encodeCursor(r.sortKey, r.personId));
  }
}
