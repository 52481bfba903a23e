import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { WAIT_MS } from './eventually.js';

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

/** One GraphQL operation over real HTTP. */
export async function execute<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables, headers]: TVariables extends Record<string, never>
    ? [undefined?, Record<string, string>?]
    : [TVariables, Record<string, string>?]
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

export function createWsClient(wsUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** Subscribes and returns an iterator of results; `return()` on it completes the subscription. */
export function subscribe<TData, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
): AsyncIterableIterator<{ data?: TData | null; errors?: readonly GraphQLFormattedError[] }> {
  return client.iterate({ query: print(document), variables }) as AsyncIterableIterator<{
    data?: TData | null;
    errors?: readonly GraphQLFormattedError[];
  }>;
}

/** The next value of an iterator, or a rejection after `timeoutMs`. */
export async function nextWithin<T>(iterator: AsyncIterator<T>, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`nothing received within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    if (result.done) throw new Error('the subscription completed');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}
