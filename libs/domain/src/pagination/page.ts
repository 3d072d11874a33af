import { DomainError } from '../errors/domain-error';

/** Keyset pagination: a cursor names the last row seen by its sort key and id. */
export interface PageRequest {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  cursors: string[];
  hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 200;

export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The sort key and id a cursor names. A cursor is the client's to send back, so anything this API could
 * not have issued is refused as bad input on `after` here, before a query could fail on it: the id must
 * be a uuid, the sort key text without NUL, and a moment where the list is sorted by one (`sortKey`).
 */
export function decodeCursor(
  cursor: string | null | undefined,
  sortKey: 'text' | 'moment' = 'text',
): { sortKey: string; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1]) &&
      !parsed[0].includes('\u0000') &&
      (sortKey === 'text' ||
        (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(parsed[0]) && !Number.isNaN(Date.parse(parsed[0]))))
    ) {
      return { sortKey: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('after', 'The cursor is not one this API issued');
}

/** Fetch one row more than asked for to learn whether there is a next page. */
export function toPage<T>(rows: T[], request: PageRequest, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, request.first);
  return { items, cursors: items.map(cursorOf), hasNextPage: rows.length > request.first };
}
