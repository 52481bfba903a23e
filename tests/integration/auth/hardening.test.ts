import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { MeDocument } from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { installManualClock, type ManualClock } from '../../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createWsClient, nextWithin } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

/** One operation over graphql-ws; its first result, or the errors it was refused with. */
async function overWebsocket(client: Client, query: string): Promise<Answer['body']> {
  return nextWithin(client.iterate({ query })).catch((error: unknown) => {
    if (Array.isArray(error)) return { errors: error as Answer['body']['errors'] };
    throw error;
  }) as Promise<Answer['body']>;
}

const nest = (levels: number, inner: string): string => (levels === 0 ? inner : `... on Viewer { ${nest(levels - 1, inner)} }`);

/** Documents valid against the schema that each break exactly one limit. */
const CRAFTED = {
  MAX_DEPTH_EXCEEDED: `{ me { ${nest(10, 'id')} } }`,
  MAX_ALIASES_EXCEEDED: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
  MAX_DIRECTIVES_EXCEEDED: `{ me { ${Array.from({ length: 51 }, () => 'id @skip(if: false)').join(' ')} } }`,
  COST_LIMIT_EXCEEDED: `{ workflows { nodes { ${'...F '.repeat(10)} } } } fragment F on Workflow { ${'name '.repeat(400)} }`,
  MAX_TOKENS_EXCEEDED: `{ me { ${'id '.repeat(2_100)} } }`,
};
/** Just inside every limit. */
const WITHIN = `{ me { ${nest(7, 'id name')} } ${Array.from({ length: 14 }, (_, i) => `a${i}: me { id }`).join(' ')} workflows { nodes { name version } } }`;

describe('hardening', () => {
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

  it.each(Object.entries(CRAFTED))('refuses a document over a limit with %s, over HTTP and websockets', async (code, query) => {
    const http = await post(server.url, { query }, server.adminHeaders);
    expect({ status: http.status, codes: http.body.errors?.map((error) => error.extensions?.code), data: http.body.data }).toEqual({
      status: 400,
      codes: [code],
      data: undefined,
    });

    const client = createWsClient(server.wsUrl, server.adminHeaders);
    try {
      const ws = await overWebsocket(client, query);
      expect(ws.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    } finally {
      await client.dispose();
    }
  });

  it('counts aliases of __typename like any other alias', async () => {
    const query = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const http = await post(server.url, { query }, server.adminHeaders);
    expect({ status: http.status, codes: http.body.errors?.map((error) => error.extensions?.code) }).toEqual({
      status: 400,
      codes: ['MAX_ALIASES_EXCEEDED'],
    });
  });

  it('lets ordinary documents through, over HTTP and websockets', async () => {
    const http = await post(server.url, { query: WITHIN }, server.adminHeaders);
    expect([http.status, http.body.errors]).toEqual([200, undefined]);
    const client = createWsClient(server.wsUrl, server.adminHeaders);
    try {
      expect((await overWebsocket(client, WITHIN)).errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });

  it('counts a fragment at the level where it is spread, not as one more level of nesting', async () => {
    // 12 fields of 100 workflows cost 3,200 inline; counted as one more level, the fragment would cost 6,475.
    const fields = 'name '.repeat(12);
    for (const query of [
      `{ workflows(first: 100) { nodes { ${fields} } } }`,
      `{ workflows(first: 100) { nodes { ...F } } } fragment F on Workflow { ${fields} }`,
    ]) {
      const http = await post(server.url, { query }, server.adminHeaders);
      expect([http.status, http.body.errors]).toEqual([200, undefined]);
    }
  });

  it('refuses batches and keeps CSRF prevention on', async () => {
    const batch = await post(server.url, [{ query: print(MeDocument) }, { query: print(MeDocument) }], server.adminHeaders);
    expect(batch.status).toBe(400);
    const simple = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...server.adminHeaders },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(simple.status).toBe(400);
  });

  describe('in production', () => {
    let production: TestServer;
    beforeAll(async () => {
      production = await startTestServer({ databaseUrl: database.url, env: { NODE_ENV: 'production' } });
    });
    afterAll(async () => {
      await production?.stop();
    });

    it('answers no introspection and no field suggestions, over HTTP and websockets, and serves no GraphiQL', async () => {
      const introspection = await post(production.url, { query: '{ __schema { types { name } } }' }, production.adminHeaders);
      expect([introspection.status, introspection.body.errors?.[0]?.extensions?.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
      const typo = await post(production.url, { query: '{ workflowz { name } }' }, production.adminHeaders);
      expect(typo.body.errors?.[0]?.message).toBe('Cannot query field "workflowz" on type "Query".');

      const client = createWsClient(production.wsUrl, production.adminHeaders);
      try {
        expect((await overWebsocket(client, '{ __schema { types { name } } }')).errors?.[0]?.extensions?.code).toBe(
          'GRAPHQL_VALIDATION_FAILED',
        );
        expect((await overWebsocket(client, '{ workflowz { name } }')).errors?.[0]?.message).toBe(
          'Cannot query field "workflowz" on type "Query".',
        );
      } finally {
        await client.dispose();
      }
      const page = await fetch(production.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toMatch(/text\/html/);

      // Where it is not production, suggestions help.
      const helpful = await post(server.url, { query: '{ workflowz { name } }' }, server.adminHeaders);
      expect(helpful.body.errors?.[0]?.message).toMatch(/Did you mean .*"workflows"/);
    });
  });

  describe('rate limit', () => {
    let limited: TestServer;
    let clock: ManualClock;
    beforeAll(async () => {
      // 60 a minute with a burst of 4: the fifth request at once is refused, one more is allowed a second later.
      limited = await startTestServer({ databaseUrl: database.url, env: { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '4' } });
      // The buckets refill only when the test moves this clock: however slow the machine, "at once" is at once.
      clock = installManualClock(limited);
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('refuses a tenant over its rate with 429 RATE_LIMITED and Retry-After, without slowing other tenants', async () => {
      // startTestServer's login used one request of the anonymous bucket, not the tenant's.
      const statuses: number[] = [];
      let refused: Answer | undefined;
      for (let i = 0; i < 5; i += 1) {
        const answer = await post(limited.url, { query: '{ me { id } }' }, limited.adminHeaders);
        statuses.push(answer.status);
        if (answer.status === 429) refused = answer;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(refused?.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const other = await createUser(limited.orm, 'viewer');
      const { token } = await login(limited.url, other.email, other.password);
      expect((await post(limited.url, { query: '{ me { id } }' }, bearer(token))).status).toBe(200);

      // The websocket path draws from the same bucket.
      const client = createWsClient(limited.wsUrl, limited.adminHeaders);
      try {
        expect((await overWebsocket(client, '{ me { id } }')).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      } finally {
        await client.dispose();
      }

      clock.advance(1_100);
      expect((await post(limited.url, { query: '{ me { id } }' }, limited.adminHeaders)).status).toBe(200);
    });

    it('limits anonymous callers (login attempts) by address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        statuses.push((await post(limited.url, { query: 'mutation { login(email: "x@example.test", password: "y") { token } }' })).status);
      }
      expect(statuses).toContain(429);
    });
  });
});
