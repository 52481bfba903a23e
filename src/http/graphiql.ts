import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import express, { type Router } from 'express';

/** Where the page's bundle is served from (built into dist/playground by scripts/build-graphiql.mjs). */
export const PLAYGROUND_ASSETS_PATH = '/playground';

/** The repository root (also where the console is built): the first directory above this module with a package.json (src/http or dist/src/http). */
export function packageRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('no package.json above the server code');
    directory = parent;
  }
  return directory;
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Switchyard · GraphiQL</title>
    <link rel="stylesheet" href="${PLAYGROUND_ASSETS_PATH}/graphiql.css">
    <script defer src="${PLAYGROUND_ASSETS_PATH}/graphiql.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
  </body>
</html>
`;

/**
 * Nothing but this server (the playground's and the console's pages): scripts, styles and connections ('self' covers the same-origin websocket
 * in current browsers; it is named too for older ones). Inline styles are what React components set.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && /^[\w.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A browser's `GET <graphqlPath>`: Accept prefers text/html over the GraphQL response types, and no `query` parameter. */
export function wantsPlayground(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (new URL(req.url ?? '/', 'http://localhost').searchParams.has('query')) return false;
  return accepts(req).type(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * GraphiQL at `GET <graphqlPath>` for browsers (Accept prefers text/html, no `query` parameter);
 * every other request goes on to the GraphQL endpoint.
 */
export function createPlaygroundRouter(graphqlPath: string): Router {
  const assets = path.join(packageRoot(), 'dist', 'playground');
  const router = express.Router();
  router.get(graphqlPath, (req, res, next) => {
    if (!wantsPlayground(req)) {
      next();
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!existsSync(path.join(assets, 'graphiql.js'))) {
      res.status(503).type('text/plain').send('GraphiQL is not built: run `npm run build`.');
      return;
    }
    res.type('html').send(PAGE);
  });
  router.use(PLAYGROUND_ASSETS_PATH, express.static(assets, { index: false, maxAge: '1h' }));
  return router;
}
