import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';

/** DACTS H1: an established ACT team has at most ten persons per full-time staff member. */
export const ACT_MAX_PERSONS_PER_FTE = 10;

export interface TeamCaseloadFigures {
  persons: number;
  staffFte: number;
  personsPerFte: number | null;
  withinFidelityTarget: boolean;
  /** The guideline itself (ACT_MAX_PERSONS_PER_FTE), so that every client draws the same line. */
  maxPersonsPerFte: number;
}

/** One roster member's own caseload as case manager, against their share of the guideline. */
export interface MemberCaseloadFigures {
  /** Persons on the team's caseload with this member as case manager (every one, seen by the reader or not). */
  persons: number;
  /** The most persons the member's share of a full-time post allows (ACT_MAX_PERSONS_PER_FTE × fte). */
  maxPersons: number;
  withinFidelityTarget: boolean;
}

/** The team's figures: persons per full-time post, within the guideline when at most ACT_MAX_PERSONS_PER_FTE. */
export function teamCaseloadFigures(persons: number, staffFte: number): TeamCaseloadFigures {
  const ratio = staffFte > 0 ? Math.round((persons / staffFte) * 10) / 10 : null;
  return {
    persons,
    staffFte,
    personsPerFte: ratio,
    withinFidelityTarget: ratio !== null && ratio <= ACT_MAX_PERSONS_PER_FTE,
    maxPersonsPerFte: ACT_MAX_PERSONS_PER_FTE,
  };
}

/** A member's figures: within the guideline while their persons do not exceed their share of it. */
export function memberCaseloadFigures(persons: number, fte: number): MemberCaseloadFigures {
  const maxPersons = Math.round(ACT_MAX_PERSONS_PER_FTE * fte * 10) / 10;
  return { persons, maxPersons, withinFidelityTarget: persons <= maxPersons };
}

/**
 * The caseload figures of teams and their members, counted over the whole caseload so that every reader
 * sees the same figures (a reader sees only some of the persons; a count names none of them).
 */
@Injectable()
export class ActTeamFigures {
  constructor(private readonly db: DataSource) {}

  /** Each current roster member's figures, keyed by roster membership id, for many teams in one statement. */
  async byMember(teamIds: readonly string[]): Promise<Map<string, MemberCaseloadFigures>> {
    const rows = await sql<{ id: string; fte: string; persons: number }>(
      this.db,
      `SELECT m.id, m.fte,
              (SELECT count(*)::int FROM act_team_client c
                WHERE c.team_id = m.team_id AND c.case_manager_staff_id = m.staff_id AND c.valid_to IS NULL) AS persons
         FROM act_team_member m WHERE m.team_id = ANY($1::uuid[]) AND m.valid_to IS NULL`,
      [[...teamIds]],
    );
    return new Map(rows.map((r) => [r.id, memberCaseloadFigures(r.persons, Number(r.fte))]));
  }
}
