import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyGuards } from '../guards';

/**
 * An approval must be stamped at or before the proposal's deadline (proposal_guard, libs/domain/src/database/guards/
 * decisions.guards.ts). The guard compared the deadline with the transaction's start only, while the close is
 * stamped by the clock when it is written: a vote whose transaction began before the deadline and waited for the
 * proposal's lock could approve a few milliseconds after it (the discharge concurrency audit caught one in 200
 * interleavings). The stamp itself is now checked, and may not lie before the transaction began.
 */
export class ApprovalStampedByDeadline1765497600100 implements MigrationInterface {
  name = 'ApprovalStampedByDeadline1765497600100';

  async up(q: QueryRunner): Promise<void> {
    await applyGuards(q);
  }

  async down(): Promise<void> {
    // The earlier body is in the history of decisions.guards.ts; the stricter guard refuses nothing valid.
  }
}
