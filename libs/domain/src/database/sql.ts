// The one way apps/ and libs/ run hand-written SQL. TypeORM's `query()` and pg's `query()` answer `any` rows;
// these answer the row type the caller names, so a renamed column breaks the compile at the reader, not in
// production. eslint (eslint.config.mjs) refuses a bare `.query(` without a type argument outside this file.

/** Where a statement runs: the DataSource (pool), an EntityManager (a transaction) or a pg client. */
export interface SqlRunner {
  query(text: string, parameters?: unknown[]): Promise<unknown>;
}

/** TypeORM answers `[rows, affected]` for UPDATE and DELETE, the bare rows for every other statement. */
function isUpdateResult(result: unknown): result is [object[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}

/** pg's own clients answer a result object with the rows and the count. */
function isPgResult(result: unknown): result is { rows: object[]; rowCount: number | null } {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && 'rows' in result;
}

/** The rows, and the count when the driver told it (pg always; TypeORM for UPDATE and DELETE only). */
async function run(db: SqlRunner, text: string, parameters: readonly unknown[]) {
  const result = await db.query(text, [...parameters]);
  if (isPgResult(result)) return { rows: result.rows, count: result.rowCount ?? 0 };
  if (isUpdateResult(result)) return { rows: result[0], count: result[1] };
  return { rows: Array.isArray(result) ? (result as object[]) : [], count: null };
}

/**
 * Runs one statement and answers its rows as `Row`: the rows of a SELECT, or of INSERT/UPDATE/DELETE ... RETURNING.
 * Without a type argument the rows are `never` (for statements whose rows are not read: locks, writes, DDL).
 */
export async function sql<Row extends object = never>(
  db: SqlRunner,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<Row[]> {
  return (await run(db, text, parameters)).rows as Row[];
}

/** The first row of the statement's answer, or undefined when it has none. */
export async function sqlOne<Row extends object>(
  db: SqlRunner,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<Row | undefined> {
  const [row] = await sql<Row>(db, text, parameters);
  return row;
}

/**
 * The number of rows an UPDATE or DELETE changed. TypeORM does not tell an INSERT's count: add RETURNING and
 * count the rows sql() answers (this refuses rather than answer a wrong number).
 */
export async function sqlCount(db: SqlRunner, text: string, parameters: readonly unknown[] = []): Promise<number> {
  const { count } = await run(db, text, parameters);
  if (count === null)
    throw new Error('sqlCount() counts the rows of an UPDATE or DELETE; count RETURNING rows instead');
  return count;
}
