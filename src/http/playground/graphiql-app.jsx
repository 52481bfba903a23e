// The GraphiQL page served at GET /graphql (browsers). Bundled by scripts/build-graphiql.mjs into
// dist/playground: no CDN, everything comes from this server. Browser code, so plain JSX outside tsc.
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { createRoot } from 'react-dom/client';
import './playground.css';

const endpoint = new URL(window.location.pathname, window.location.origin).toString();
const wsEndpoint = endpoint.replace(/^http/, 'ws');

const DEFAULT_QUERY = `# Switchyard. Log in, then put the token in the Headers tab below:
#   { "Authorization": "Bearer <token>" }
# Queries and mutations go over HTTP, subscriptions over graphql-ws on the same URL,
# both with that header.

mutation Login {
  login(email: "admin@switchyard.local", password: "<password>") {
    token
    expiresAt
  }
}

query Me {
  me { kind name role tenant { slug } permissions }
}
`;

/** Header names lower-cased, empty values dropped (an empty Authorization is no credential). */
function cleanHeaders(headers) {
  return Object.fromEntries(
    Object.entries(headers ?? {})
      .filter(([, value]) => typeof value === 'string' && value.trim() !== '')
      .map(([name, value]) => [name.toLowerCase(), value.trim()]),
  );
}

function isSubscription(params) {
  try {
    return getOperationAST(parse(params.query), params.operationName)?.operation === 'subscription';
  } catch {
    // Not parseable here: let the server say what is wrong with it.
    return false;
  }
}

// One websocket per set of headers: connection_init carries them, so a new token needs a new socket.
const wsClients = new Map();
function wsClientFor(headers) {
  const key = JSON.stringify(headers);
  let client = wsClients.get(key);
  if (!client) {
    for (const other of wsClients.values()) void other.dispose();
    wsClients.clear();
    client = createClient({ url: wsEndpoint, connectionParams: headers, lazy: true, retryAttempts: 0 });
    wsClients.set(key, client);
  }
  return client;
}

async function* subscribe(client, params) {
  try {
    for await (const result of client.iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    })) {
      yield result;
    }
  } catch (error) {
    // graphql-ws rejects with the close event (e.g. 4403 when the token is refused or expires).
    const reason =
      error && typeof error === 'object' && 'code' in error ? `websocket closed: ${error.code} ${error.reason || ''}` : String(error);
    yield { errors: [{ message: reason, extensions: { code: 'WEBSOCKET_CLOSED' } }] };
  }
}

async function fetcher(params, options) {
  const headers = cleanHeaders(options?.headers);
  if (isSubscription(params)) return subscribe(wsClientFor(headers), params);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(params),
  });
  return response.json();
}

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={DEFAULT_QUERY}
    defaultHeaders={'{\n  "Authorization": ""\n}'}
    isHeadersEditorEnabled
    defaultEditorToolsVisibility="headers"
  />,
);
