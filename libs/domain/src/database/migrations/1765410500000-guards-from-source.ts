import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyGuards } from '../guards';

/**
 * The database's functions and triggers from their source (libs/domain/src/database/guards), so a reader finds
 * each guard's current body in one file instead of in the last migration that replaced it. Applies exactly what
 * the earlier migrations left (the files were written from a migrated database): nothing changes.
 */
export class GuardsFromSource1765410500000 implements MigrationInterface {
  name = 'GuardsFromSource1765410500000';

  async up(q: QueryRunner): Promise<void> {
    await applyGuards(q);
  }

  async down(): Promise<void> {
    // The functions and triggers are those the earlier migrations created: there is nothing to undo.
  }
}
