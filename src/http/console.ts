import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import accepts from 'accepts';
import express, { type Router } from 'express';
import { contentSecurityPolicy, packageRoot, PLAYGROUND_ASSETS_PATH } from './graphiql.js';

/** Where `npm run build` puts the console (vite build console). */
export function consoleDirectory(): string {
  return path.join(packageRoot(), 'dist', 'console');
}

/** The console's hashed bundles, below its root. */
export const CONSOLE_ASSETS_PATH = '/assets';

/** Paths the console never answers, whatever the browser asks for: the API and the probes. */
export function reservedPaths(graphqlPath: string): readonly string[] {
  return [graphqlPath, '/healthz', '/readyz', '/metrics', PLAYGROUND_ASSETS_PATH];
}

function isReserved(pathname: string, reserved: readonly string[]): boolean {
  return reserved.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * The console at `/` and its client-side routes: a browser's GET (Accept prefers HTML) of any path that is
 * not reserved and does not name a file is answered with the console's index.html (history fallback),
 * under the same strict CSP as the playground. Its bundles are served from /assets; nothing else.
 */
export function createConsoleRouter(graphqlPath: string, directory = consoleDirectory()): Router {
  const reserved = reservedPaths(graphqlPath);
  const indexFile = path.join(directory, 'index.html');
  const router = express.Router();
  router.use(
    CONSOLE_ASSETS_PATH,
    express.static(path.join(directory, 'assets'), {
      index: false,
      // File names carry their content hash.
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = req.path;
    if (isReserved(pathname, [...reserved, CONSOLE_ASSETS_PATH])) return next();
    // `/favicon.ico`, `/x.js`: a file that does not exist, not a page of the console.
    if (/\.[^/]*$/.test(pathname)) return next();
    if (accepts(req).type(['html', 'json']) !== 'html') return next();
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    if (!existsSync(indexFile)) {
      res.status(503).type('text/plain').send('The console is not built: run `npm run build`.');
      return;
    }
    readFile(indexFile, 'utf8').then((page) => res.type('html').send(page), next);
  });
  return router;
}
