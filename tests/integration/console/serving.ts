import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The console (console/, built into dist/console by `npm run build`) at `/` and its client-side routes. */
describe.each(['development', 'production'] as const)('the console, NODE_ENV=%s', (nodeEnv) => {
  let database: TestDatabase;
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { NODE_ENV: nodeEnv } });
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const page = (path: string, accept = BROWSER_ACCEPT) => fetch(`${origin}${path}`, { headers: { accept } });

  it('is served at / from our own files under a strict CSP, nothing from elsewhere', async () => {
    const index = await page('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/https?:\/\//);
    // No inline script: the CSP would refuse it.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    // The icon is an empty data: URI (so that the browser asks for no /favicon.ico); the rest our assets.
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1] ?? '')
      .filter((reference) => reference !== 'data:,');
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) {
      expect(reference).toMatch(/^\/assets\//);
      const asset = await fetch(`${origin}${reference}`);
      expect([reference, asset.status]).toEqual([reference, 200]);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const text = await asset.text();
      expect(text).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|googleapis|esm\.sh/);
      if (reference.endsWith('.js')) expect(text).toContain('graphql-transport-ws');
    }
  });

  it('answers its client-side routes with the same page (history fallback)', async () => {
    const root = await (await page('/')).text();
    for (const route of ['/executions', '/executions/0b7a3f4e-2f7c-4c1e-9d7e-3c1d2b9a8e11', '/sign-in', '/no/such/page']) {
      const response = await page(route);
      expect([route, response.status]).toEqual([route, 200]);
      expect(await response.text()).toBe(root);
    }
  });

  it('never shadows the API, the probes, missing files or non-browser requests', async () => {
    const health = await page('/healthz');
    expect(health.headers.get('content-type')).toMatch(/json/);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await page('/readyz')).headers.get('content-type')).toMatch(/json/);
    // Whatever /metrics is (or is not yet), it is not the console; nor is a browser's GET /graphql.
    expect(await (await page('/metrics')).text()).not.toContain('<div id="root">');
    expect(await (await page('/graphql')).text()).not.toContain('<div id="root">');
    const api = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.adminHeaders },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(((await api.json()) as { data: { me: { name: string } } }).data.me.name).toBe('admin@switchyard.local');
    expect((await page('/assets/missing-0000.js')).status).toBe(404);
    expect((await page('/favicon.ico')).status).toBe(404);
    expect((await page('/executions', 'application/json')).status).toBe(404);
    expect((await fetch(`${origin}/executions`, { method: 'POST' })).status).toBe(404);
  });
});
