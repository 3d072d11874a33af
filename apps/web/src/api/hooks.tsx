// React hooks over ApiClient: queries and mutations through TanStack Query (one cache per sign-in, so
// two cards asking the same thing share one request), and live subscriptions over graphql-ws.
import {
  hydrate,
  QueryClient,
  QueryClientProvider,
  useMutation as useTanstackMutation,
  useQuery as useTanstackQuery,
  useQueryClient,
  type DehydratedState,
} from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient, ApiError } from './client';
import { queryKey, type Document, type PageQuery, type StartedRead } from './page-query';

export { operationName, pageQuery, type Document, type PageQuery } from './page-query';

const ApiContext = createContext<ApiClient | null>(null);

/**
 * Data is fresh for 30 s; live events and every successful mutation refresh what is on screen sooner.
 * networkMode 'always': offline, a request fails at once with a connection error the page explains,
 * rather than waiting silently for the network.
 */
function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: false, refetchOnWindowFocus: true, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** One cache per client, and so per sign-in: nothing read by one user is shown to the next. */
const queryClients = new WeakMap<ApiClient, QueryClient>();
function queryClientFor(client: ApiClient): QueryClient {
  let queryClient = queryClients.get(client);
  if (!queryClient) queryClients.set(client, (queryClient = createQueryClient()));
  return queryClient;
}

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  const queryClient = useMemo(() => queryClientFor(client), [client]);
  return (
    <ApiContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError('failed', error instanceof Error ? error.message : String(error));
}

export interface QueryState<R> {
  data: R | null;
  error: ApiError | null;
  loading: boolean;
  /** Reads again, keeping the current data on screen meanwhile. */
  refetch: () => Promise<void>;
}

function queryOptions<R, V>(api: ApiClient, { document, variables }: PageQuery<R, V>) {
  return {
    queryKey: queryKey({ document, variables } as PageQuery),
    queryFn: async () => {
      try {
        return await api.request(document, variables);
      } catch (e) {
        throw asApiError(e);
      }
    },
  };
}

/**
 * Starts reading what a page will ask for before the page itself renders (see route-data.ts); the page's
 * useQuery then finds the request in flight, or its answer, in the same cache. Fresh answers are not read again.
 */
export function prefetch(api: ApiClient, queries: PageQuery[]): void {
  const queryClient = queryClientFor(api);
  for (const query of queries) void queryClient.prefetchQuery(queryOptions(api, query));
}

/** Takes reads started before this client's cache existed (boot.ts) into it: the pages find them in flight or answered. */
export function adopt(api: ApiClient, reads: StartedRead[]): void {
  const queryClient = queryClientFor(api);
  for (const { query, answer } of reads)
    void queryClient.prefetchQuery({
      queryKey: queryKey(query),
      queryFn: () =>
        answer.catch((e: unknown) => {
          throw asApiError(e);
        }),
    });
}

/** Takes the answers the API read to render the first screen (boot.ts's ServerState) into this client's cache. */
export function adoptServerState(api: ApiClient, state: unknown): void {
  hydrate(queryClientFor(api), state as DehydratedState);
}

export function useQuery<R, V>(
  document: Document<R, V>,
  variables: V,
  options: { skip?: boolean } = {},
): QueryState<R> {
  const api = useApi();
  const query = useTanstackQuery<R, ApiError>({
    ...queryOptions(api, { document, variables }),
    enabled: !options.skip,
  });
  const { refetch } = query;
  const again = useCallback(async () => {
    await refetch();
  }, [refetch]);
  return {
    data: query.data ?? null,
    error: query.error ?? null,
    loading: query.isPending && query.fetchStatus !== 'idle',
    refetch: again,
  };
}

/** Marks every cached query stale and reads again those on screen (after a change, or a missed live event). */
export function useRefreshAll(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries(), [queryClient]);
}

export interface MutationState<R, V> {
  run: (variables: V) => Promise<R | null>;
  /** The same, but rejects with the ApiError: for forms (useApiForm) that place field problems themselves. */
  runOrThrow: (variables: V) => Promise<R>;
  error: ApiError | null;
  busy: boolean;
  reset: () => void;
}

/**
 * A mutation; run() resolves to null (and sets error) when it fails, so forms can show the field messages.
 * A success marks every query stale, so every card on screen shows the change without a manual refetch.
 */
export function useMutation<R, V>(document: Document<R, V>): MutationState<R, V> {
  const api = useApi();
  const queryClient = useQueryClient();
  const mutation = useTanstackMutation<R, ApiError, V>({
    mutationFn: async (variables) => {
      try {
        return await api.request(document, variables);
      } catch (e) {
        throw asApiError(e);
      }
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const { mutateAsync, reset } = mutation;
  const run = useCallback(
    async (variables: V) => {
      try {
        return await mutateAsync(variables);
      } catch {
        return null;
      }
    },
    [mutateAsync],
  );
  return { run, runOrThrow: mutateAsync, error: mutation.error ?? null, busy: mutation.isPending, reset };
}

/** Calls onData for every event while the component is mounted. */
export function useSubscription<R, V>(
  document: Document<R, V>,
  variables: V,
  onData: (data: R) => void,
): ApiError | null {
  const api = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables ?? null);
  useEffect(() => {
    setError(null);
    return api.subscribe(
      document,
      JSON.parse(key) as V,
      (d) => {
        setError(null);
        handler.current(d);
      },
      setError,
    );
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
