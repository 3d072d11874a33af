// Starting a page's first reads in the page's cache on every navigation (app.tsx), together with the page itself.
// (On start boot.ts has already started them, before the cache existed; app.tsx adopts those.)
import type { ApiClient } from './api/client';
import { prefetch } from './api/hooks';
import { firstReads } from './first-reads';

/** Starts reading what the page at `path` shows first, and what the frame of every signed-in page shows. */
export function prefetchPage(api: ApiClient, path: string, search: URLSearchParams): void {
  prefetch(api, firstReads(path, search));
}
