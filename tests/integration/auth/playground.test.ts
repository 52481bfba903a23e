import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GraphiQL playground', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('is served to browsers at GET /graphql from our own files, with nothing from elsewhere', async () => {
    const page = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self'/);
    const html = await page.text();

    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(references.length).toBeGreaterThanOrEqual(2);
    expect(html).not.toMatch(/https?:\/\//);
    for (const reference of references) {
      expect(reference).toMatch(/^\/[^/]/);
      const asset = await fetch(new URL(reference, server.url));
      expect([reference, asset.status]).toEqual([reference, 200]);
      const text = await asset.text();
      if (reference.endsWith('.css')) {
        expect(text).toContain('.graphiql-container');
        // Fonts and images are inlined.
        expect(text).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
        expect(text).not.toMatch(/@import/);
      } else {
        expect(asset.headers.get('content-type')).toMatch(/javascript/);
        expect(text).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|googleapis|esm\.sh/);
        // Subscriptions go over graphql-ws from the bundle itself.
        expect(text).toContain('graphql-transport-ws');
        expect(text).toContain('connectionParams');
      }
    }
  });

  it('leaves GraphQL GET requests and non-browser clients to the API', async () => {
    const json = await fetch(server.url, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toMatch(/json/);
    const query = await fetch(`${server.url}?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true', ...server.adminHeaders },
    });
    expect(query.headers.get('content-type')).toMatch(/json/);
    expect(((await query.json()) as { data: { me: { id: string } } }).data.me.id).toBeDefined();
  });
});
