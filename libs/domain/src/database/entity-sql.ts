import { getMetadataArgsStorage } from 'typeorm';

// Hand-written batch reads (one statement for any number of ids, see overview/overview.queries.ts) answer
// the same objects as the entity's repository: these derive the select list from the entity's own
// column definitions, so a column added to an entity is read everywhere without a second list to keep.

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM keys its metadata by the entity's class
type EntityClass = Function;

function columnsOf(entity: EntityClass) {
  return getMetadataArgsStorage()
    .filterColumns(entity)
    .filter((c) => c.options.select !== false)
    .map((c) => ({
      property: c.propertyName,
      column: c.options.name ?? c.propertyName,
      type: String(c.options.type ?? ''),
    }));
}

/**
 * The entity's columns as `alias.column AS "property"`. A `date` column is read as its 'YYYY-MM-DD' text,
 * as the repository gives it (the pg driver would make a Date at local midnight of it).
 */
export function entityColumns(entity: EntityClass, alias: string): string {
  return columnsOf(entity)
    .map(
      ({ property, column, type }) =>
        (type === 'date' ? `to_char(${alias}.${column}, 'YYYY-MM-DD')` : `${alias}.${column}`) + ` AS "${property}"`,
    )
    .join(', ');
}

/** The entity's timestamp properties: read through JSON they come as text, and `reviveTimestamps` makes Dates of them again. */
export function timestampProperties(entity: EntityClass): string[] {
  return columnsOf(entity)
    .filter(({ type }) => type === 'timestamptz' || type === 'timestamp with time zone')
    .map(({ property }) => property);
}

/** Turns the named timestamp properties of rows read as JSON back into Dates, in place. */
export function reviveTimestamps<T>(rows: T[], properties: readonly string[]): T[] {
  for (const row of rows as Array<Record<string, unknown>>) {
    for (const property of properties) if (typeof row[property] === 'string') row[property] = new Date(row[property]);
  }
  return rows;
}
