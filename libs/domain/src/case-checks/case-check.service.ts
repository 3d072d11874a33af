import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { today } from '../time';
import { sql } from '../database/sql';

/**
 * Legal checks the audit found skipped. Whether relatives were asked about, violence exposure was
 * assessed, and an LVM report was followed by its pre-assessment (förhandsbedömning). The children
 * question is answered on the person (children status). Missing checks are reminded of.
 */
export enum CaseCheckKind {
  RELATIVES_IDENTIFIED = 'RELATIVES_IDENTIFIED',
  VIOLENCE_ASSESSED = 'VIOLENCE_ASSESSED',
  LVM_REPORT = 'LVM_REPORT',
  LVM_PRE_ASSESSMENT = 'LVM_PRE_ASSESSMENT',
}

export interface CaseCheck {
  id: string;
  personId: string;
  kind: CaseCheckKind;
  doneOn: string;
  recordedBy: string;
  note: string | null;
  createdAt: Date;
}

@Injectable()
export class CaseCheckService {
  constructor(private readonly db: DataSource) {}

  async record(
    actor: Actor,
    input: { personId: string; kind: CaseCheckKind; doneOn: string; note?: string | null },
  ): Promise<CaseCheck> {
    if (input.doneOn > today())
      throw DomainError.invalid(
        'doneOn',
        'A check cannot be recorded as done in the future',
        DomainErrorReason.CHECK_IN_FUTURE,
      );
    const [row] = await sql<CaseCheck>(
      this.db,
      `INSERT INTO case_check (person_id, kind, done_on, recorded_by, note) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, person_id AS "personId", kind, done_on::text AS "doneOn", recorded_by AS "recordedBy", note, created_at AS "createdAt"`,
      [input.personId, input.kind, input.doneOn, actor.staffId, input.note ?? null],
    );
    return row;
  }

  forPersons(personIds: readonly string[]): Promise<CaseCheck[]> {
    return sql<CaseCheck>(
      this.db,
      `SELECT id, person_id AS "personId", kind, done_on::text AS "doneOn", recorded_by AS "recordedBy", note, created_at AS "createdAt"
         FROM case_check WHERE person_id = ANY($1::uuid[]) ORDER BY done_on DESC, created_at DESC`,
      [personIds],
    );
  }
}
