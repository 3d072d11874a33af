// The signed-in staff member's token, kept in sessionStorage so that it ends with the browser tab.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

export interface SessionStaff {
  id: string;
  givenName: string;
  familyName: string;
  profession: string;
  organisation: { name: string };
}

interface Session {
  token: string | null;
  staff: SessionStaff | null;
  signIn: (token: string, staff: SessionStaff) => void;
  signOut: () => void;
}

const KEY = 'samverka.session';
const SessionContext = createContext<Session | null>(null);

function stored(): { token: string; staff: SessionStaff } | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as { token: string; staff: SessionStaff }) : null;
  } catch {
    return null;
  }
}

/** Reads the token outside React (for the API client). */
export function currentToken(): string | null {
  return stored()?.token ?? null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(stored);
  const signIn = useCallback((token: string, staff: SessionStaff) => {
    sessionStorage.setItem(KEY, JSON.stringify({ token, staff }));
    setState({ token, staff });
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setState(null);
  }, []);
  return <SessionContext.Provider value={{ token: state?.token ?? null, staff: state?.staff ?? null, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
