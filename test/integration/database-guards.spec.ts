import { Client } from 'pg';
import { applyGuards, GUARD_FUNCTIONS, GUARD_TRIGGERS, readGuards } from '../../libs/domain/src/database/guards';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * libs/domain/src/database/guards holds the database's functions and triggers as they are: a reader trusts it
 * only if the migrated database holds exactly those. A migration that changes a function without its source
 * (or a source edited without a migration) fails here; scripts/db/write-guards.ts rewrites the files from a database.
 */
describe('the guards in libs/domain/src/database/guards', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('are exactly the functions and triggers of the migrated database', async () => {
    const found = await readGuards(db.dataSource);
    expect(found.functions.map((f) => f.definition).sort()).toEqual([...GUARD_FUNCTIONS].sort());
    expect(found.triggers.map((t) => t.definition).sort()).toEqual([...GUARD_TRIGGERS].sort());
  });

  it('apply again without changing anything, so a migration may replay them', async () => {
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query('BEGIN');
      await applyGuards(owner);
      const after = await readGuards(owner);
      await owner.query('ROLLBACK');
      expect(after.functions.map((f) => f.definition).sort()).toEqual([...GUARD_FUNCTIONS].sort());
      expect(after.triggers).toHaveLength(GUARD_TRIGGERS.length);
    } finally {
      await owner.end();
    }
  });

  it('notice a function changed behind their back', async () => {
    await db.ownerQuery(
      `CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    );
    const found = await readGuards(db.dataSource);
    expect(found.functions.map((f) => f.definition).sort()).not.toEqual([...GUARD_FUNCTIONS].sort());
  });
});
