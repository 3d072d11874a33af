import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The proposer (or staff of the proposer's organisation) may withdraw an open proposal: it closes as
 * WITHDRAWN with the reason kept. proposal_guard already keeps it closed, and only an APPROVED decision
 * discharges (care_episode_guard), so a withdrawn proposal can never be approved nor used.
 */
export class WithdrawnProposals1765180800000 implements MigrationInterface {
  name = 'WithdrawnProposals1765180800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN ('OPEN','APPROVED','REJECTED','EXPIRED','VOIDED','WITHDRAWN'));
      ALTER TABLE proposal ADD CONSTRAINT proposal_withdrawal_reason_check CHECK (status <> 'WITHDRAWN' OR length(close_reason) BETWEEN 1 AND 2000);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proposal DROP CONSTRAINT proposal_withdrawal_reason_check;
      ALTER TABLE proposal DROP CONSTRAINT proposal_status_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_status_check CHECK (status IN ('OPEN','APPROVED','REJECTED','EXPIRED','VOIDED'));
    `);
  }
}
