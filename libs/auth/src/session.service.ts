import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode, sql } from '@samverka/domain';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';

/** The header a cookie-authenticated request repeats its CSRF token in (a cross-site form cannot send it). */
export const CSRF_HEADER = 'x-csrf-token';
/** last_seen_at is written at most this often, so that a page's burst of requests costs one write. */
const TOUCH_EVERY_MS = 60_000;

/** A browser's session cookie on a request, and whether the request proved it comes from our own pages. */
export interface BrowserSession {
  token: string;
  /** HTTP: the CSRF header matches and the Origin (if sent) is ours; WebSocket: the Origin is ours. */
  sameOrigin: boolean;
}

export const sessionEnded = () =>
  new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Your session has ended; sign in again');

/**
 * Browser sign-in sessions, in both AUTH_MODEs. The browser holds a random token in an HttpOnly cookie
 * (scripts cannot read it; every tab shares it); the table keeps its SHA-256 hash, so that sign-out,
 * deactivation and the idle and absolute limits take effect on the very next request. Integration
 * clients do not use sessions: they keep sending bearer tokens.
 *
 * Cookies are `Secure` and use the `__Host-` prefix, except in development and test over plain HTTP to
 * the loopback address, where a browser would not store a Secure cookie sent over http (Chromium treats
 * only `localhost` as secure, not 127.0.0.1) and no network carries the cookie anyway.
 */
@Injectable()
export class SessionService {
  /** The clock sessions are timed by; tests move it instead of waiting. */
  now: () => Date = () => new Date();
  private readonly csrfKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {
    this.csrfKey = createHash('sha256').update(`samverka-csrf:${config.TOKEN_SECRET}`).digest();
  }

  /** Opens a session for a signed-in staff member; the token goes into the cookie only. */
  async open(staffId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.config.SESSION_MAX_HOURS * 3_600_000);
    await sql(
      this.db,
      `INSERT INTO staff_session (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
      [hash(token), staffId, now, expiresAt],
    );
    return { token, expiresAt };
  }

  /**
   * The staff member whose session this is, if it is open: not revoked, not idle longer than
   * SESSION_IDLE_MINUTES, not past its lifetime. `touch` counts the request as activity (HTTP requests do;
   * re-checks before a live event do not, or an open page would never go idle).
   */
  async staffOf(token: string, options: { touch: boolean }): Promise<string> {
    const now = this.now();
    const idleSince = new Date(now.getTime() - this.config.SESSION_IDLE_MINUTES * 60_000);
    const [row] = await sql<{ id: string; staffId: string; lastSeenAt: Date }>(
      this.db,
      `SELECT id, staff_id AS "staffId", last_seen_at AS "lastSeenAt" FROM staff_session
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3`,
      [hash(token), now, idleSince],
    );
    if (!row) throw sessionEnded();
    if (options.touch && now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await sql(this.db, `UPDATE staff_session SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [
        row.id,
        now,
      ]);
    }
    return row.staffId;
  }

  /** Sign-out: the session is refused from now on. */
  async revoke(token: string): Promise<void> {
    await sql(this.db, `UPDATE staff_session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [
      hash(token),
      this.now(),
    ]);
  }

  /** The session cookie of a request (HTTP, or a WebSocket's upgrade request), with its CSRF proof. */
  fromRequest(request: IncomingMessage, transport: 'http' | 'websocket'): BrowserSession | undefined {
    const names = cookieNames(request, this.config);
    const token = readCookie(request.headers.cookie, names.session);
    if (!token) return undefined;
    const origin = request.headers.origin;
    const originOk = origin === undefined ? transport === 'http' : this.isOwnOrigin(origin, request);
    if (transport === 'websocket') return { token, sameOrigin: originOk };
    const sent = request.headers[CSRF_HEADER];
    const proof = typeof sent === 'string' && safeEqual(sent, this.csrfToken(token));
    return { token, sameOrigin: originOk && proof };
  }

  /**
   * The session cookie of a page request (a GET navigation to one of the web client's pages), which the API
   * answers with the page's first screen rendered from the same reads the client would make
   * (apps/api/src/web-render.ts). A navigation cannot carry the CSRF header, so the proof that the request
   * comes from the user's own opening of the page is the browser's Fetch Metadata instead:
   * - `Sec-Fetch-Site` `none` (typed, bookmarked, reloaded) or `same-origin` (a link of our own pages). Not
   *   `same-site` (another application under the same site) and not `cross-site`: those could make a browser
   *   open a person's page, and so write access-log entries under the user's name, without the user asking.
   *   (The cookie is SameSite=Strict, so a cross-site navigation carries none anyway; this holds even so.)
   * - `Sec-Fetch-Mode` `navigate` and `Sec-Fetch-Dest` `document`: a top-level page, not a frame (which
   *   frame-ancestors refuses too), an image or a fetch.
   * A request without Fetch Metadata (a browser too old to send it, or no browser) counts only when it sends
   * none of the three: such a browser still keeps the SameSite=Strict cookie from other sites' navigations.
   * The answer only ever reaches the tab that asked: no other site can read a cross-origin document.
   */
  fromNavigation(request: IncomingMessage): BrowserSession | undefined {
    const token = readCookie(request.headers.cookie, cookieNames(request, this.config).session);
    if (!token) return undefined;
    const site = request.headers['sec-fetch-site'];
    const mode = request.headers['sec-fetch-mode'];
    const dest = request.headers['sec-fetch-dest'];
    const withoutMetadata = site === undefined && mode === undefined && dest === undefined;
    const ownNavigation =
      (site === 'none' || site === 'same-origin') && mode === 'navigate' && (dest === undefined || dest === 'document');
    const origin = request.headers.origin;
    const originOk = origin === undefined || this.isOwnOrigin(origin, request);
    return { token, sameOrigin: originOk && (withoutMetadata || ownNavigation) };
  }

  /** The Set-Cookie headers that sign this browser in: the session (HttpOnly) and its CSRF token (readable by our scripts). */
  signInCookies(request: IncomingMessage, token: string): string[] {
    const names = cookieNames(request, this.config);
    const attributes = `Path=/; SameSite=Strict${names.secure ? '; Secure' : ''}`;
    return [
      `${names.session}=${token}; ${attributes}; HttpOnly`,
      `${names.csrf}=${this.csrfToken(token)}; ${attributes}`,
    ];
  }

  /** The Set-Cookie headers that remove both cookies. */
  signOutCookies(request: IncomingMessage): string[] {
    const names = cookieNames(request, this.config);
    const attributes = `Path=/; SameSite=Strict; Max-Age=0${names.secure ? '; Secure' : ''}`;
    return [`${names.session}=; ${attributes}; HttpOnly`, `${names.csrf}=; ${attributes}`];
  }

  /** A session's CSRF token: keyed to the session, so that a cookie planted by another site cannot match it. */
  private csrfToken(sessionToken: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionToken).digest('base64url');
  }

  /** The web client's own origin: APP_URL's, or the host the request was sent to (behind the same name). */
  private isOwnOrigin(origin: string, request: IncomingMessage): boolean {
    try {
      const url = new URL(origin);
      return url.origin === new URL(this.config.APP_URL).origin || url.host === request.headers.host;
    } catch {
      return false;
    }
  }
}

/** Cookie names and whether they are Secure for this request (see the class comment). */
export function cookieNames(
  request: IncomingMessage,
  config: Pick<AppConfig, 'NODE_ENV'>,
): { session: string; csrf: string; secure: boolean } {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  const plainLoopback =
    !(request.socket as { encrypted?: boolean } | undefined)?.encrypted &&
    ['localhost', '127.0.0.1', '[::1]'].includes(host);
  const secure = config.NODE_ENV === 'production' || !plainLoopback;
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}samverka_session`, csrf: `${prefix}samverka_csrf`, secure };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const split = part.indexOf('=');
    if (split > 0 && part.slice(0, split).trim() === name) return part.slice(split + 1).trim() || undefined;
  }
  return undefined;
}

function hash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
