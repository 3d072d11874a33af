// What a page reads first, by address, so that the client can start reading it as soon as the address is
// known: on start, together with the session check (boot.ts, before React and the pages have arrived), and on
// every navigation (route-data.ts), instead of each page and card asking only once the frame around it has
// rendered. The pages ask for the same queries (same documents and variables, so the same cache entries) and
// find them in flight or answered. No React here: this is part of the client's first script.
import {
  NotificationsDocument,
  PersonConsentsDocument,
  PersonOverviewDocument,
  PersonRemindersDocument,
} from './api/generated';
import { pageQuery, type PageQuery } from './api/page-query';
import { caseloadQuery, caseloadViewOf } from './pages/caseload-view';

/** What every signed-in page reads (the header's badge): all notifications, read and unread. */
export const allNotifications = { unreadOnly: false };
const notificationsQuery = pageQuery(NotificationsDocument, allNotifications);

export const consentCardVariables = (personId: string) => ({ personId });
export const remindersCardVariables = (personId: string) => ({ personId });

/** What the caseload page reads first, for the address's query string. */
export function caseloadQueries(params: URLSearchParams): PageQuery[] {
  const { document, variables } = caseloadQuery(caseloadViewOf(params));
  return [pageQuery(document, variables)];
}

/** What a person's overview reads first: the overview and its consent and reminder cards, in one request. */
export function personOverviewQueries(personId: string): PageQuery[] {
  return [
    pageQuery(PersonOverviewDocument, { personId }),
    pageQuery(PersonConsentsDocument, consentCardVariables(personId)),
    pageQuery(PersonRemindersDocument, remindersCardVariables(personId)),
  ];
}

const PAGES: Array<[RegExp, (match: RegExpExecArray, search: URLSearchParams) => PageQuery[]]> = [
  [/^\/$/, (_, search) => caseloadQueries(search)],
  [
    /^\/persons\/([^/]+)\/?$/,
    (match) => (match[1] === 'new' ? [] : personOverviewQueries(decodeURIComponent(match[1]))),
  ],
];

/** The queries the page at `path` reads first, with the frame's (none of the page's for a page not listed here: it asks for its own). */
export function firstReads(path: string, search: URLSearchParams): PageQuery[] {
  for (const [pattern, queries] of PAGES) {
    const match = pattern.exec(path);
    if (match) return [notificationsQuery, ...queries(match, search)];
  }
  return [notificationsQuery];
}
