import type { IncomingMessage } from 'node:http';
import type { Actor } from '@samverka/domain';
import type { BrowserSession } from './session.service';

/** What the guard leaves on the GraphQL context for resolvers. */
export interface AuthContext {
  actor?: Actor;
  /** The raw Authorization header value (HTTP) or connection parameter (WebSocket). */
  authorization?: string;
  /** The browser's session cookie (HTTP, or the WebSocket's upgrade request), used when there is no Authorization. */
  session?: BrowserSession;
  /** The HTTP exchange (not over WebSocket), on which `signIn` and `signOut` set their cookies. */
  http?: { request: IncomingMessage; setCookies(cookies: string[]): void };
  /** The client's address (HTTP), written to the access log. */
  clientAddress?: string | null;
}
