// React hooks over ApiClient: queries with loading/error state, mutations, live subscriptions.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiClient, ApiError } from './client';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('failed', error instanceof Error ? error.message : String(error));
}

export interface QueryState<R> {
  data: R | null;
  error: ApiError | null;
  loading: boolean;
  /** Reads again, keeping the current data on screen meanwhile. */
  refetch: () => Promise<void>;
}

export function useQuery<R, V>(document: TypedDocumentNode<R, V>, variables: V, options: { skip?: boolean } = {}): QueryState<R> {
  const api = useApi();
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const key = JSON.stringify(variables ?? null);
  const latest = useRef(0);

  const run = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await api.request(document, JSON.parse(key) as V);
      if (ticket === latest.current) {
        setData(result);
        setError(null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(asApiError(e));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [api, document, key]);

  useEffect(() => {
    if (!options.skip) void run();
  }, [run, options.skip]);

  return { data, error, loading, refetch: run };
}

export interface MutationState<R, V> {
  run: (variables: V) => Promise<R | null>;
  error: ApiError | null;
  busy: boolean;
  reset: () => void;
}

/** A mutation; run() resolves to null (and sets error) when it fails, so forms can show the field messages. */
export function useMutation<R, V>(document: TypedDocumentNode<R, V>): MutationState<R, V> {
  const api = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (variables: V) => {
      setBusy(true);
      setError(null);
      try {
        return await api.request(document, variables);
      } catch (e) {
        setError(asApiError(e));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [api, document],
  );
  return { run, error, busy, reset: () => setError(null) };
}

/** Calls onData for every event while the component is mounted. */
export function useSubscription<R, V>(document: TypedDocumentNode<R, V>, variables: V, onData: (data: R) => void): ApiError | null {
  const api = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables ?? null);
  useEffect(() => {
    setError(null);
    return api.subscribe(document, JSON.parse(key) as V, (d) => {
      setError(null);
      handler.current(d);
    }, setError);
  }, [api, document, key]);
  return error;
}

/** Whether the live connection is up: false from a drop until graphql-ws has reconnected. */
export function useLive(): boolean {
  const api = useApi();
  const [live, setLive] = useState(api.isLive);
  useEffect(() => {
    setLive(api.isLive);
    return api.onLiveChange(setLive);
  }, [api]);
  return live;
}

/** Calls `callback` when the live connection is back after a drop (events sent meanwhile were missed). */
export function useReconnect(callback: () => void): void {
  const api = useApi();
  const handler = useRef(callback);
  handler.current = callback;
  useEffect(() => api.onReconnect(() => handler.current()), [api]);
}
