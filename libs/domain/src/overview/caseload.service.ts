import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { SipPlanStatus } from '../sip-plan/sip-plan.content';
import { today } from '../time';

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
}

/** Sorts persons without a follow-up date last. */
const NO_DATE = '9999-12-31';

export const CASELOAD_SQL = `
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
  )
  SELECT p.person_id AS "personId", p.reasons, sp.id AS "planId", sp.status AS "planStatus",
         to_char(sp.follow_up_on, 'YYYY-MM-DD') AS "nextFollowUpOn",
         coalesce(to_char(sp.follow_up_on, 'YYYY-MM-DD'), '${NO_DATE}') AS "sortKey"
    FROM persons p LEFT JOIN sip_plan sp ON sp.person_id = p.person_id AND sp.status <> 'CLOSED'
   WHERE ($3::text IS NULL OR (coalesce(to_char(sp.follow_up_on, 'YYYY-MM-DD'), '${NO_DATE}'), p.person_id) > ($3::text, $4::uuid))
   ORDER BY "sortKey", p.person_id
   LIMIT $5`;

/** A staff member's persons (through a collaboration group or an ACT team), soonest follow-up first. */
@Injectable()
export class CaseloadService {
  constructor(private readonly db: DataSource) {}

  async forStaff(staffId: string, page: PageRequest): Promise<Page<CaseloadRow>> {
    const after = decodeCursor(page.after);
    const rows: Array<CaseloadRow & { sortKey: string }> = await this.db.query(CASELOAD_SQL, [
      staffId,
      today(),
      after?.sortKey ?? null,
      after?.id ?? null,
      page.first + 1,
    ]);
    return toPage(rows, page, (r) => encodeCursor(r.sortKey, r.personId));
  }
}
