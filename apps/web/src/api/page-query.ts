// A query a page reads, as data: its document and variables, and the cache key they make. No React and no
// TanStack Query here, so the client's first script (boot.ts) can start the reads before either has arrived.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/** A GraphQL document with its result and variable types (the generated documents are query strings). */
export type Document<R, V> = DocumentTypeDecoration<R, V>;

/** The operation's name ("PersonOverview"): the first part of every cache key of that document. */
export function operationName<R, V>(document: Document<R, V>): string {
  return /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(String(document))?.[1] ?? 'anonymous';
}

/** A query a page reads: its document and variables (the cache key is the operation's name and the variables). */
export interface PageQuery<R = unknown, V = unknown> {
  document: Document<R, V>;
  variables: V;
}

/** A page query, its variables checked against its document, in a list of any documents' queries. */
export function pageQuery<R, V>(document: Document<R, V>, variables: V): PageQuery {
  return { document: document as Document<unknown, unknown>, variables };
}

/** The query's cache key: the operation's name and its variables. */
export function queryKey(query: PageQuery): [string, unknown] {
  return [operationName(query.document), query.variables ?? null];
}

/** A read started before the page that shows it (boot.ts), with its answer to come. */
export interface StartedRead {
  query: PageQuery;
  answer: Promise<unknown>;
}
