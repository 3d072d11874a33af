// The client's first moves, before anything renders. When the browser holds the CSRF cookie it probably holds a
// session too: ask the API whose it is and, in the same moment, start reading what the page at this address
// shows, with the client that page will use. A load then costs one round trip after the script, not three.
// A session the API no longer accepts fails all of them alike, and the login page says the session ended.
import { ApiClient, hasSessionCookie } from './api/client';
import { MeDocument, type MeQuery } from './api/generated';
import { prefetchPage } from './route-data';

export interface Boot {
  /** Who the session belongs to (rejects when the API does not accept it). */
  me: Promise<MeQuery>;
  /** The client the reads were started with, for the staff member `me` names; handed out once. */
  claimClient(staffId: string): ApiClient | null;
}

export function boot(): Boot | null {
  if (!hasSessionCookie()) return null;
  let client: ApiClient | null = new ApiClient();
  const me = client.request(MeDocument, {});
  prefetchPage(client, window.location.pathname, new URLSearchParams(window.location.search));
  let staffId: string | null = null;
  me.then((answer) => (staffId = answer.me.id)).catch(() => undefined);
  return {
    me,
    claimClient(id) {
      const claimed = id === staffId ? client : null;
      client = null;
      return claimed;
    },
  };
}
