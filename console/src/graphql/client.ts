import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient, type FormattedExecutionResult } from 'graphql-ws';
import { Client, fetchExchange, mapExchange, subscriptionExchange, type ExecutionResult } from 'urql';
import { cacheConfig } from './cache';

export const GRAPHQL_PATH = '/graphql';

/** graphql-ws closes a connection whose credential is refused with 4403 (Forbidden). */
const FORBIDDEN = 4403;

export interface GraphqlClients {
  client: Client;
  /** The one websocket every subscription of this session shares. */
  ws: WsClient;
  /** Whether that websocket is connected now, and news when that changes (useSyncExternalStore's shape). */
  connection: { connected(): boolean; subscribe(listener: () => void): () => void };
}

function connectionTracker(ws: WsClient): GraphqlClients['connection'] {
  let connected = false;
  const listeners = new Set<() => void>();
  const set = (now: boolean) => {
    connected = now;
    listeners.forEach((listener) => listener());
  };
  ws.on('connected', () => set(true));
  ws.on('closed', () => set(false));
  return {
    connected: () => connected,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * urql with a normalised cache (graphcache), queries and mutations over HTTP POST, subscriptions over
 * graphql-ws on the same path. A refused credential (UNAUTHENTICATED, or the socket closed 4403)
 * calls `onAuthFailure` once: the session ends with "sign in again".
 */
export function createGraphqlClients(token: string | null, onAuthFailure: () => void): GraphqlClients {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const ws = createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
    connectionParams: () => authorization,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !isCloseEvent(event) || event.code !== FORBIDDEN,
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === FORBIDDEN) onAuthFailure();
      },
    },
  });
  const client = new Client({
    url: GRAPHQL_PATH,
    // POST only: the server's CSRF prevention refuses simple GET requests.
    preferGetMethod: false,
    fetchOptions: () => ({ headers: authorization }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((graphqlError) => graphqlError.extensions['code'] === 'UNAUTHENTICATED')) onAuthFailure();
        },
      }),
      cacheExchange(cacheConfig),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe: (sink) => ({
              // The spec makes extensions a map (graphql-ws leaves its type open).
              unsubscribe: ws.subscribe<Record<string, unknown>, Record<string, unknown>>(input, {
                next: (result) => sink.next(asUrqlResult(result)),
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              }),
            }),
          };
        },
      }),
    ],
  });
  return { client, ws, connection: connectionTracker(ws) };
}

/** A result off the socket as urql types it: graphql-ws allows a key set to undefined, urql only a missing key. */
function asUrqlResult({ data, errors, extensions, hasNext }: FormattedExecutionResult): ExecutionResult {
  return {
    ...(data === undefined ? {} : { data }),
    ...(errors === undefined ? {} : { errors }),
    ...(extensions === undefined ? {} : { extensions }),
    ...(hasNext === undefined ? {} : { hasNext }),
  };
}

function isCloseEvent(value: unknown): value is { code: number } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}
