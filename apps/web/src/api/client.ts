// The one way the web client talks to the API: GraphQL over HTTP (POST /graphql) and graphql-ws
// subscriptions on the same path. Errors come back as an ApiError with a kind the screens can explain.
// Signed in, the browser sends its HttpOnly session cookie by itself; every request repeats the CSRF
// token (from the readable CSRF cookie) in a header, which a page of another site cannot do.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';

export type ApiErrorKind =
  'connection' | 'unauthenticated' | 'forbidden' | 'invalid' | 'conflict' | 'notFound' | 'failed';

/** One refused input field: its path, the rule it broke as a code ("required", "maxLength", a domain reason) and that rule's parameters. */
export interface FieldProblem {
  field: string;
  constraint: string;
  params: Record<string, string | number>;
}

/**
 * What went wrong with a request, in terms a screen can act on. The API's message is English and for
 * developers; screens word the error from its kind, code, reason and fields (see i18n's errorText).
 */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** For BAD_USER_INPUT: each problem with its input path, e.g. "input.interventions.0.description". */
    readonly fields: FieldProblem[] = [],
    /** The GraphQL error code (e.g. INVALID_STATE), when the API gave one. */
    readonly code: string | null = null,
    /** Which domain rule refused (e.g. DEADLINE_TOO_FAR), with its parameters. */
    readonly reason: string | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem with one input field, matched on the end of its path ("personGoals" matches "input.content.personGoals"). */
  fieldProblem(field: string): FieldProblem | undefined {
    return this.fields.find((p) => p.field === field || p.field.endsWith(`.${field}`));
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: {
    code?: string;
    field?: string;
    fields?: Array<Partial<FieldProblem> & { field: string }>;
    reason?: string;
    params?: Record<string, string | number>;
  };
}

const KIND_BY_CODE: Record<string, ApiErrorKind> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  BAD_USER_INPUT: 'invalid',
  CONFLICT: 'conflict',
  INVALID_STATE: 'invalid',
  NOT_FOUND: 'notFound',
};

export function toApiError(errors: GraphQLErrorBody[]): ApiError {
  const first = errors[0];
  const extensions = first.extensions ?? {};
  const code = extensions.code ?? '';
  const listed = extensions.fields ?? (extensions.field ? [{ field: extensions.field }] : []);
  const fields = listed.map((p) => ({ field: p.field, constraint: p.constraint ?? 'invalid', params: p.params ?? {} }));
  return new ApiError(
    KIND_BY_CODE[code] ?? 'failed',
    first.message,
    fields,
    code || null,
    extensions.reason ?? null,
    extensions.params ?? {},
  );
}

export interface ApiClientOptions {
  /** Absolute or relative URL of the GraphQL endpoint; default /graphql on the page's own origin. */
  url?: string;
  /** Called when the API no longer accepts the session (idle too long, signed out elsewhere, deactivated). */
  onUnauthenticated?: () => void;
}

interface OperationBody {
  query: string;
  variables?: unknown;
}

interface OperationResult {
  data?: unknown;
  errors?: GraphQLErrorBody[];
}

/** The API's limit on operations per request (apps/api/src/graphql/batching.ts). */
const MAX_BATCH = 8;

/** A query document (the only kind sent in a batch); the generated documents start with their operation. */
const QUERY = /^\s*query\b/;

/** Runs `settle`, handing what it throws to `reject`: one operation's error must not stop the others of its batch. */
function settleSafely(settle: () => void, reject: (error: unknown) => void): void {
  try {
    settle();
  } catch (error) {
    reject(error);
  }
}

/** The CSRF cookie the API sets beside the session cookie (with the __Host- prefix when it is Secure). */
const CSRF_COOKIE = /(?:^|;\s*)(?:__Host-)?samverka_csrf=([^;]+)/;

function csrfToken(): string | null {
  return typeof document === 'undefined' ? null : (CSRF_COOKIE.exec(document.cookie)?.[1] ?? null);
}

/** Whether this browser may hold a session (the CSRF cookie comes and goes with it); the session cookie itself is unreadable. */
export function hasSessionCookie(): boolean {
  return csrfToken() !== null;
}

export class ApiClient {
  private readonly url: string;
  private ws: Client | null = null;
  /** Told when the live connection is back after a drop: events sent meanwhile were missed. */
  protected readonly reconnectListeners = new Set<() => void>();
  /** Told when the live connection drops or comes back, so that pages can say live updates are interrupted. */
  private readonly liveListeners = new Set<(live: boolean) => void>();
  private live = true;

  /** Queries waiting for the code now running to finish, to be sent together (see request). */
  private queued: Array<{
    body: OperationBody;
    resolve: (result: OperationResult) => void;
    reject: (error: unknown) => void;
  }> = [];

  /** Called when the API no longer accepts the session; may be set after construction (see boot.ts). */
  onUnauthenticated: (() => void) | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.url = options.url ?? '/graphql';
    this.onUnauthenticated = options.onUnauthenticated;
  }

  /**
   * Runs one operation. Queries asked for in the same synchronous run of code (a page's first reads, the
   * cards of a screen) travel as one request, up to the API's MAX_BATCH: one session check on the server,
   * one answer to render. A mutation always goes alone (the API refuses it in a batch).
   */
  request<R, V>(document: DocumentTypeDecoration<R, V>, variables?: V): Promise<R> {
    const body: OperationBody = { query: String(document), variables };
    if (!QUERY.test(body.query)) return this.send([body]).then(([result]) => this.settle<R>(result));
    return new Promise<R>((resolve, reject) => {
      this.queued.push({ body, resolve: (result) => resolve(this.settle<R>(result)), reject });
      // A microtask, not a timer: the batch leaves as soon as the code asking has run (boot's reads go while the
      // module script is still being evaluated), and a timer would wait behind React's first render work.
      if (this.queued.length === 1) queueMicrotask(() => this.flush());
    });
  }

  /** Sends what was queued, MAX_BATCH operations a request. */
  private flush(): void {
    const queued = this.queued.splice(0);
    for (let i = 0; i < queued.length; i += MAX_BATCH) {
      const part = queued.slice(i, i + MAX_BATCH);
      this.send(part.map((q) => q.body)).then(
        (results) => part.forEach((q, j) => settleSafely(() => q.resolve(results[j]), q.reject)),
        (error) => part.forEach((q) => q.reject(error)),
      );
    }
  }

  /** POSTs one operation, or several as a batch (an array); answers one result per operation, in order. */
  private async send(bodies: OperationBody[]): Promise<OperationResult[]> {
    const csrf = csrfToken();
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        body: JSON.stringify(bodies.length === 1 ? bodies[0] : bodies),
      });
    } catch {
      throw new ApiError('connection', 'The API could not be reached');
    }
    let answer: OperationResult | OperationResult[];
    try {
      answer = await response.json();
    } catch {
      throw new ApiError(
        response.status >= 500 || response.status === 0 ? 'connection' : 'failed',
        `HTTP ${response.status}`,
      );
    }
    // A request refused whole (rate, size) answers one result, whatever it carried: it holds for every operation.
    return Array.isArray(answer) && answer.length === bodies.length
      ? answer
      : bodies.map(() =>
          Array.isArray(answer) ? { errors: [{ message: 'The API answered a batch wrongly' }] } : answer,
        );
  }

  /** The data of one operation's result, or its first error as an ApiError. */
  private settle<R>(result: OperationResult): R {
    if (result.errors?.length) {
      const error = toApiError(result.errors);
      if (error.kind === 'unauthenticated') this.onUnauthenticated?.();
      throw error;
    }
    if (!result.data) throw new ApiError('failed', 'The API returned no data');
    return result.data as R;
  }

  /**
   * A document the API makes (the SIP document's PDF), fetched with the session cookie and the CSRF header
   * like every request (a plain link could not send the header), and handed to the browser as a download.
   */
  async download(path: string, filename: string): Promise<void> {
    const csrf = csrfToken();
    let response: Response;
    try {
      response = await fetch(path, {
        credentials: 'same-origin',
        headers: { accept: 'application/pdf', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      });
    } catch {
      throw new ApiError('connection', 'The API could not be reached');
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { errors?: GraphQLErrorBody[] };
      const error = body.errors?.length ? toApiError(body.errors) : new ApiError('failed', `HTTP ${response.status}`);
      if (error.kind === 'unauthenticated') this.onUnauthenticated?.();
      throw error;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Starts a subscription; returns the function that stops it. */
  subscribe<R, V>(
    document: DocumentTypeDecoration<R, V>,
    variables: V,
    onData: (data: R) => void,
    onError?: (error: ApiError) => void,
  ): () => void {
    const client = this.socket();
    return client.subscribe<R>(
      { query: String(document), variables: variables as Record<string, unknown> },
      {
        next: (message) => message.data && onData(message.data as R),
        error: (error) =>
          onError?.(
            Array.isArray(error)
              ? toApiError(error as GraphQLErrorBody[])
              : new ApiError('connection', 'The live connection was lost'),
          ),
        complete: () => undefined,
      },
    );
  }

  /** One WebSocket per client (one client per sign-in), opened lazily and reconnected by graphql-ws; the upgrade carries the cookie. */
  private socket(): Client {
    if (this.ws) return this.ws;
    const base = new URL(this.url, window.location.href);
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    this.ws = createClient({
      url: base.toString(),
      retryAttempts: Infinity,
      shouldRetry: () => true,
      lazy: true,
      on: {
        connected: (_socket, _payload, wasRetry) => {
          this.setLive(true);
          if (wasRetry) this.reconnectListeners.forEach((listener) => listener());
        },
        // 1000 is graphql-ws closing an idle socket (no subscription left), not a drop.
        closed: (event) => (event as { code?: number } | undefined)?.code !== 1000 && this.setLive(false),
      },
    });
    return this.ws;
  }

  /** Whether the live connection is up (or not needed); false from a drop until it is back. */
  get isLive(): boolean {
    return this.live;
  }

  /** Calls `listener` when the live connection drops or comes back; returns the function that stops it. */
  onLiveChange(listener: (live: boolean) => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  protected setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.liveListeners.forEach((listener) => listener(live));
  }

  /** Calls `listener` each time the live connection comes back after a drop; returns the function that stops it. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  close(): void {
    this.ws?.dispose();
    this.ws = null;
  }
}
