// Routing through wouter over the History API (the API serves index.html for every client path), plus
// the one thing wouter leaves to us: asking before a navigation would throw away unsaved edits.
import { useEffect, useRef, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { Router as WouterRouter, useLocation, useSearchParams } from 'wouter';

export { Route, Switch } from 'wouter';
export { useSearchParams };

/** The current path, read-only (navigation goes through useRouter().navigate, which guards unsaved edits). */
export function usePath(): string {
  return useLocation()[0];
}

/** Forms with unsaved edits, each with the question to ask before they are thrown away. */
const unsavedForms = new Map<symbol, string>();

/** Asks the user (once, for all dirty forms) whether to leave; true when nothing is unsaved. */
export function mayLeave(): boolean {
  if (unsavedForms.size === 0) return true;
  const question = [...unsavedForms.values()][0];
  if (!window.confirm(question)) return false;
  unsavedForms.clear();
  return true;
}

/**
 * While `dirty`, leaving the form asks first: a link or a route change in the client (through mayLeave) and
 * closing or reloading the tab (the browser's own question on beforeunload).
 */
export function useUnsavedChangesGuard(dirty: boolean, question: string): void {
  const key = useRef(Symbol('form'));
  useEffect(() => {
    const id = key.current;
    if (!dirty) {
      unsavedForms.delete(id);
      return;
    }
    unsavedForms.set(id, question);
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      unsavedForms.delete(id);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [dirty, question]);
}

/** `ssrPath` ("/persons/1?tab=x"): the address to render on the server, which has no window.location. */
export function Router({ children, ssrPath }: { children: ReactNode; ssrPath?: string }) {
  return <WouterRouter ssrPath={ssrPath}>{children}</WouterRouter>;
}

interface RouterState {
  path: string;
  /** Goes to `to` unless the user chooses to stay with unsaved edits. */
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

export function useRouter(): RouterState {
  const [path, setLocation] = useLocation();
  return {
    path,
    navigate: (to, options) => {
      if (to === path || !mayLeave()) return;
      setLocation(to, options);
      window.scrollTo?.(0, 0);
    },
  };
}

/** A link in the client: navigates without reloading, asks first when edits are unsaved, marks the current page. */
export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { navigate, path } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} aria-current={path === to ? 'page' : undefined} {...rest} onClick={onClick}>
      {children}
    </a>
  );
}
