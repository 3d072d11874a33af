import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id of the HTTP request being served, carried through async calls so that a job the request
 * enqueues can name it (JobQueue puts it in the job's data) and the worker logs it when it runs the job.
 */
export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The request id of the request in progress, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/**
 * A load balancer's or client's own `x-request-id` is kept when it is sane (1-128 letters, digits and
 * `._:-`, so nothing can be smuggled into a log line or a header); otherwise a new UUID.
 */
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptRequestId(incoming: unknown): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

interface IdentifiedRequest {
  id?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
  headersSent?: boolean;
}

/** Gives the request its id once (whichever middleware asks first) and returns it in the `x-request-id` response header. */
export function assignRequestId(req: IdentifiedRequest, res: HeaderResponse): string {
  if (typeof req.id === 'string') return req.id;
  const id = acceptRequestId(req.headers['x-request-id']);
  req.id = id;
  if (!res.headersSent) res.setHeader('x-request-id', id);
  return id;
}
