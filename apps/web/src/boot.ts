// The client's first script: no React, no pages, no cache library, so that it arrives and runs within a few
// milliseconds. When the browser holds the CSRF cookie it probably holds a session too: ask the API whose it
// is and, in the same request, start reading what the page at this address shows (first-reads.ts). The rest
// of the client (render.tsx) is compiled meanwhile and takes over the client and its reads.
// A session the API no longer accepts fails all of them alike, and the login page says the session ended.
import { ApiClient, hasSessionCookie } from './api/client';
import { MeDocument, type MeQuery } from './api/generated';
import type { StartedRead } from './api/page-query';
import { firstReads } from './first-reads';

export interface Boot {
  /** Who the session belongs to (rejects when the API does not accept it). */
  me: Promise<MeQuery>;
  /** The client the reads were started with, and those reads, for the staff member `me` names; handed out once. */
  claim(staffId: string): { client: ApiClient; reads: StartedRead[] } | null;
}

export function boot(): Boot | null {
  if (!hasSessionCookie()) return null;
  const client = new ApiClient();
  const me = client.request(MeDocument, {});
  const reads = firstReads(window.location.pathname, new URLSearchParams(window.location.search)).map((query) => {
    const answer = client.request(query.document, query.variables);
    // Its failure is the page's to show once the page takes the read over; unclaimed, it is no error to report.
    answer.catch(() => undefined);
    return { query, answer };
  });
  let staffId: string | null = null;
  me.then((answer) => (staffId = answer.me.id)).catch(() => undefined);
  let claimed = false;
  return {
    me,
    claim(id) {
      const mine = !claimed && id === staffId;
      claimed = true;
      return mine ? { client, reads } : null;
    },
  };
}
