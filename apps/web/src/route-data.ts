// What a page reads first, by address, so that the client can start reading it as soon as the address is
// known: on start, together with the session check (boot.ts), and on every navigation (app.tsx), instead of
// each page and card asking only once the frame around it has rendered. The pages ask for the same queries
// (same documents and variables, so the same cache entries) and find them in flight or answered.
import type { ApiClient } from './api/client';
import { prefetch, type PageQuery } from './api/hooks';
import { notificationsQuery } from './notifications';
import { caseloadQueries } from './pages/caseload-page';
import { personOverviewQueries } from './pages/person-page';

const PAGES: Array<[RegExp, (match: RegExpExecArray, search: URLSearchParams) => PageQuery[]]> = [
  [/^\/$/, (_, search) => caseloadQueries(search)],
  [
    /^\/persons\/([^/]+)\/?$/,
    (match) => (match[1] === 'new' ? [] : personOverviewQueries(decodeURIComponent(match[1]))),
  ],
];

/** The queries the page at `path` reads first (none for a page not listed here: it asks for its own). */
export function pageQueries(path: string, search: URLSearchParams): PageQuery[] {
  for (const [pattern, queries] of PAGES) {
    const match = pattern.exec(path);
    if (match) return queries(match, search);
  }
  return [];
}

/** Starts reading what the page at `path` shows first, and what the frame of every signed-in page shows. */
export function prefetchPage(api: ApiClient, path: string, search: URLSearchParams): void {
  prefetch(api, [notificationsQuery, ...pageQueries(path, search)]);
}
