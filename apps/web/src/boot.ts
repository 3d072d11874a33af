// The client's first script: no React, no pages, no cache library, so that it arrives and runs within a few
// milliseconds. When the browser holds the CSRF cookie it probably holds a session too: ask the API whose it
// is and, in the same request, start reading what the page at this address shows (first-reads.ts). The rest
// of the client (render.tsx) is compiled meanwhile and takes over the client and its reads.
// A session the API no longer accepts fails all of them alike, and the login page says the session ended.
// When the API has rendered the page's first screen itself (apps/api/src/web-render.ts), the page holds what
// those reads answered (SERVER_STATE_ID): nothing is asked again, and render.tsx hydrates the markup instead.
import { ApiClient, hasSessionCookie } from './api/client';
import { MeDocument, type MeQuery } from './api/generated';
import type { StartedRead } from './api/page-query';
import { firstReads } from './first-reads';

/** The id of the non-executable JSON block the API puts the first screen's answers in (the CSP allows no inline script). */
export const SERVER_STATE_ID = 'samverka-first-screen';

/** What the API read to render the first screen: who is signed in, and TanStack Query's dehydrated cache. */
export interface ServerState {
  me: MeQuery['me'];
  /** A DehydratedState (hooks.tsx hydrates it; TanStack Query is not part of this script). */
  queries: unknown;
}

export interface Boot {
  /** Who the session belongs to (rejects when the API does not accept it). */
  me: Promise<MeQuery>;
  /** The client the reads were started with, and those reads, for the staff member `me` names; handed out once. */
  claim(staffId: string): { client: ApiClient; reads: StartedRead[] } | null;
  /** The first screen the API rendered into the page, with what it read for it: render.tsx hydrates it. */
  server?: ServerState;
  /** The server's answers for the staff member it rendered for (`server.me`); handed out once. */
  claimServerState?(staffId: string): unknown;
}

/** The first screen's answers, when the API rendered it (and they read as they should). */
function serverState(): ServerState | null {
  const block = document.getElementById(SERVER_STATE_ID);
  if (!block?.textContent) return null;
  const text = block.textContent;
  // Read once: the answers live in the client's cache from here on, not in the document.
  block.remove();
  try {
    const state = JSON.parse(text) as ServerState;
    return state?.me?.id && state.queries ? state : null;
  } catch {
    return null;
  }
}

/** A start from the server's answers: no request, the session is whom the API rendered the page for. */
export function bootFromServer(server: ServerState): Boot {
  let claimed = false;
  return {
    me: Promise.resolve({ me: server.me }),
    claim: () => null,
    server,
    claimServerState(id) {
      const mine = !claimed && id === server.me.id;
      claimed = true;
      return mine ? server.queries : null;
    },
  };
}

export function boot(): Boot | null {
  const server = serverState();
  if (server) return bootFromServer(server);
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
