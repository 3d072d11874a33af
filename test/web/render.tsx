// Renders web client pages in jsdom with a scripted API: each GraphQL operation (by name) gets the
// answer the test gives, or an ApiError. The API itself is tested for real in the e2e tests.
import '@testing-library/jest-dom';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiClient, ApiError } from '../../apps/web/src/api/client';
import { ApiProvider, operationName } from '../../apps/web/src/api/hooks';
import { I18nProvider, type Language } from '../../apps/web/src/i18n/i18n';
import { NotificationsProvider } from '../../apps/web/src/notifications';
import { Router } from '../../apps/web/src/router';
import { SessionProvider } from '../../apps/web/src/session';

// jsdom has <dialog> but not its modal methods: open and close it through the attribute.
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}

export type Answer = unknown | ApiError | ((variables: any) => unknown | ApiError);

export class ScriptedApi extends ApiClient {
  readonly calls: Array<{ operation: string; variables: unknown }> = [];

  constructor(private readonly answers: Record<string, Answer>) {
    super();
  }

  override async request<R, V>(document: DocumentTypeDecoration<R, V>, variables?: V): Promise<R> {
    const operation = operationName(document);
    this.calls.push({ operation, variables });
    if (!(operation in this.answers)) throw new Error(`no answer scripted for ${operation}`);
    const scripted = this.answers[operation];
    const answer = typeof scripted === 'function' ? (scripted as (v: unknown) => unknown)(variables) : scripted;
    if (answer instanceof ApiError) throw answer;
    return answer as R;
  }

  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();

  override subscribe<R, V>(
    document: DocumentTypeDecoration<R, V>,
    _variables: V,
    onData: (data: R) => void,
  ): () => void {
    const operation = operationName(document);
    const set = this.listeners.get(operation) ?? new Set();
    this.listeners.set(operation, set);
    const listener = onData as (data: unknown) => void;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** As if the live connection dropped. */
  dropped(): void {
    this.setLive(false);
  }

  /** As if the live connection came back after a drop. */
  reconnected(): void {
    this.setLive(true);
    for (const listener of this.reconnectListeners) listener();
  }

  /** Sends a subscription event to every open subscription of that operation; returns how many got it. */
  emit(operation: string, data: unknown): number {
    const set = this.listeners.get(operation) ?? new Set();
    for (const listener of set) listener(data);
    return set.size;
  }
}

export const staff = {
  id: 'staff-1',
  givenName: 'Elin',
  familyName: 'Bergkvist',
  profession: 'SOCIAL_WORKER',
  organisation: { name: 'Farsta stadsdelsförvaltning' },
};

/** Renders a signed-in page at `path`, for the demo social worker or the `staff` given (e.g. `{ auditor: true }`). */
export function renderPage(
  ui: ReactNode,
  answers: Record<string, Answer>,
  options: { path?: string; language?: Language; staff?: Record<string, unknown> } = {},
) {
  window.history.pushState(null, '', options.path ?? '/');
  const api = new ScriptedApi({
    Notifications: { notifications: [], unreadNotificationCount: 0 },
    InboxPersons: { caseload: { edges: [] } },
    ...answers,
  });
  const result = render(
    <I18nProvider language={options.language ?? 'sv'}>
      <SessionProvider initial={{ ...staff, ...options.staff }}>
        <Router>
          <ApiProvider client={api}>
            <NotificationsProvider>{ui}</NotificationsProvider>
          </ApiProvider>
        </Router>
      </SessionProvider>
    </I18nProvider>,
  );
  return { ...result, api };
}
