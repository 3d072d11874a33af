// The first screen of a signed-in page, rendered by the API (apps/api/src/web-render.ts loads this file's
// build, dist/web-server/server-entry.cjs, made by `vite build --ssr`; it is never sent to a browser).
// The API hands in `execute`, which runs one query through its own GraphQL server with the page request's
// session (the same sign-in, access policy and access log as the client's own request). This file asks what
// the client would ask first (first-reads.ts), renders the page from those answers with the client's own
// components, and returns the markup with the answers as TanStack Query's dehydrated cache, which the
// client hydrates (boot.ts, render.tsx) instead of asking again.
// Only the caseload and a person's overview are rendered here: they come with the first load (the other pages
// are fetched when opened, see app.tsx, so a server render would only hold their loading state).
import { dehydrate, QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { MeDocument, type MeQuery } from './api/generated';
import { queryKey } from './api/page-query';
import { App } from './app';
import { bootFromServer, type ServerState } from './boot';
import { firstReads } from './first-reads';

/** Runs one query for the page's request; rejects when the API refuses it or answers with an error. */
export type Execute = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

export interface FirstScreen {
  /** The markup for index.html's #root. */
  markup: string;
  /** The ServerState, as JSON safe to put inside a <script type="application/json"> element. */
  state: string;
}

/** The pages rendered here: the caseload (the start page of care staff) and a person's overview. */
const RENDERED = [/^\/$/, /^\/persons\/(?!new\/?$)[^/]+\/?$/];

/** Whether `path` is a page this file renders (the API asks before it reads anything). */
export function rendersPage(path: string): boolean {
  return RENDERED.some((pattern) => pattern.test(path));
}

/**
 * JSON that cannot end its <script> element or open a comment in it: every `<` is written as \u003c (the same
 * string to JSON.parse). The browser never runs the block; boot.ts reads its text.
 */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Renders the page at `url` (path and query string) for whoever `execute` reads as, or resolves to null when
 * this is no page to render here (an administrator's or an auditor's start page is not the caseload).
 * Rejects when a read is refused or fails: the API then sends the plain page, and the client reads and
 * shows the error itself.
 */
export async function renderFirstScreen(url: string, execute: Execute): Promise<FirstScreen | null> {
  const address = new URL(url, 'http://localhost');
  const path = address.pathname;
  if (!rendersPage(path)) return null;
  const { me } = (await execute(String(MeDocument), {})) as MeQuery;
  if (path === '/' && (me.administrator || me.auditor)) return null;
  const queries = firstReads(path, address.searchParams);
  const answers = await Promise.all(
    queries.map((query) => execute(String(query.document), (query.variables ?? {}) as Record<string, unknown>)),
  );
  const cache = new QueryClient();
  queries.forEach((query, i) => cache.setQueryData(queryKey(query), answers[i]));
  const state: ServerState = { me, queries: dehydrate(cache) };
  cache.clear();
  // The same tree as the browser's first render (render.tsx), started from the same state.
  const markup = renderToString(
    <StrictMode>
      <App boot={bootFromServer(state)} location={path + address.search} />
    </StrictMode>,
  );
  return { markup, state: scriptSafeJson(state) };
}
