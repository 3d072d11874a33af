// Who is signed in. The session itself is an HttpOnly cookie the API sets, which no script here can read
// (nor one injected into the page), and which every tab of the browser shares; this keeps only the staff
// member to show. On start the API is asked who the cookie belongs to (boot.ts asks before anything renders).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiClient, ApiError, hasSessionCookie } from './api/client';
import { MeDocument, SignOutDocument } from './api/generated';
import type { Boot } from './boot';

export interface SessionStaff {
  id: string;
  givenName: string;
  familyName: string;
  profession: string;
  organisation: { id?: string; name: string };
  /** Maintains the directory (every organisation); sees no person because of it. */
  administrator?: boolean;
  /** Manages the staff and units of their own organisation. */
  organisationAdministrator?: boolean;
  /** Reads the access log and sees no care data: the audit pages instead of a caseload. */
  auditor?: boolean;
  /** May see protected whereabouts: offered the change of a person's protection level (the API decides). */
  whereaboutsAuthorised?: boolean;
}

/** Whether the staff member has the administration pages (and their menu): the administrator or an organisation administrator. */
export const administers = (staff: SessionStaff | null): boolean =>
  !!(staff?.administrator || staff?.organisationAdministrator);

/** Why the login page is shown: never signed in, signed out, or the session ended by itself (idle, revoked). */
export type SignedOutReason = 'none' | 'signedOut' | 'expired';

interface Session {
  staff: SessionStaff | null;
  /** True while the API is asked whether this browser's cookie holds a session. */
  checking: boolean;
  reason: SignedOutReason;
  signIn: (staff: SessionStaff) => void;
  signOut: () => Promise<void>;
  /** The API no longer accepts the session: back to the login page, saying why. */
  expired: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** `initial` skips asking the API (tests render signed-in pages with it); `boot` is the question already asked. */
export function SessionProvider({
  children,
  initial,
  boot,
}: {
  children: ReactNode;
  initial?: SessionStaff | null;
  boot?: Boot | null;
}) {
  const [staff, setStaff] = useState<SessionStaff | null>(initial ?? null);
  const [checking, setChecking] = useState(initial === undefined);
  const [reason, setReason] = useState<SignedOutReason>('none');

  useEffect(() => {
    if (initial !== undefined) return;
    // Without the CSRF cookie there is no session to ask about.
    const me = boot ? boot.me : hasSessionCookie() ? new ApiClient().request(MeDocument, {}) : null;
    if (!me) {
      setChecking(false);
      return;
    }
    let cancelled = false;
    me.then((me) => !cancelled && setStaff(me.me))
      // A cookie the API no longer accepts: the session ended (idle, signed out elsewhere) while the page was closed.
      .catch(
        (error) => !cancelled && error instanceof ApiError && error.kind === 'unauthenticated' && setReason('expired'),
      )
      .finally(() => !cancelled && setChecking(false));
    return () => {
      cancelled = true;
    };
  }, [initial, boot]);

  const signIn = useCallback((signedIn: SessionStaff) => {
    setReason('none');
    setStaff(signedIn);
  }, []);
  const signOut = useCallback(async () => {
    // The API revokes the session and removes the cookies; the page forgets the staff member either way.
    await new ApiClient().request(SignOutDocument, {}).catch(() => undefined);
    setReason('signedOut');
    setStaff(null);
  }, []);
  const expired = useCallback(() => {
    setReason('expired');
    setStaff(null);
  }, []);
  return (
    <SessionContext.Provider value={{ staff, checking, reason, signIn, signOut, expired }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
