import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';
import { execute } from '../helpers/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CreateWorkflowDocument, ExecuteWorkflowDocument, PublishEventDocument } from '../generated/graphql.js';
import { launchBrowser, openTab, passwordSession, type ConsoleTab, type StoredSession } from './browser.js';

/** A run that parks twice on events the test publishes: every intermediate state holds until the test moves it on. */
export const GATED = {
  name: 'console_gated',
  definition: {
    input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    steps: [
      { name: 'prepare', type: 'transform', output: { ready: true } },
      { name: 'gate_one', type: 'wait', event: { name: 'console.gate_one', match: 'event.token = context.token', timeoutSeconds: 600 } },
      { name: 'middle', type: 'transform', output: { halfway: true } },
      { name: 'gate_two', type: 'wait', event: { name: 'console.gate_two', match: 'event.token = context.token', timeoutSeconds: 600 } },
      { name: 'finish', type: 'transform', output: { done: true } },
    ],
  },
};

export interface ConsoleHarness {
  readonly server: TestServer;
  /** `http://127.0.0.1:<port>`: where the console is. */
  readonly origin: string;
  /**
   * A fresh tab (its own storage), closed after the test; any error it logs fails the test. Signed out,
   * or already signed in — as the admin (`'admin'`) or with an API key — as the sign-in form leaves it
   * (the form itself is tested in executions.test.ts and with a pasted key in run-page.test.ts).
   */
  open(as?: 'admin' | { apiKey: string }): Promise<ConsoleTab>;
  /** The data of an API answer, or a failure with its errors. */
  admin<T>(response: { data?: T | null; errors?: unknown }): T;
  /** Starts a GATED run (as the admin, through the API); answers its id. */
  startGatedRun(token: string): Promise<string>;
  openGate(gate: 'gate_one' | 'gate_two', token: string): Promise<void>;
}

/**
 * For a describe block: Chromium, a real server on the harness's PostgreSQL (a database of the file's
 * own) and Redis, with the GATED workflow saved. After each test its tabs are closed and their browser
 * console must have stayed free of errors (CSP violations included).
 */
export function consoleHarness(): ConsoleHarness {
  let browser: Browser | undefined;
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  const tabs: ConsoleTab[] = [];
  const started = () => {
    if (!server) throw new Error('the console harness has not started');
    return server;
  };
  const admin = <T>(response: { data?: T | null; errors?: unknown }): T => {
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, redisUrl: testEnv('redisUrl') });
    admin(await execute(server.url, CreateWorkflowDocument, { input: GATED }, server.adminHeaders));
  });
  afterEach(async () => {
    const errors = tabs.flatMap((tab) => tab.errors);
    await Promise.all(tabs.splice(0).map((tab) => tab.context.close()));
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  return {
    get server() {
      return started();
    },
    get origin() {
      return new URL(started().url).origin;
    },
    async open(as) {
      if (!browser) throw new Error('the console harness has not started');
      const session: StoredSession | undefined =
        as === undefined
          ? undefined
          : as === 'admin'
            ? passwordSession(started().adminToken)
            : { token: as.apiKey, kind: 'api-key', expiresAt: null };
      const tab = await openTab(browser, new URL(started().url).origin, session);
      tabs.push(tab);
      return tab;
    },
    admin,
    async startGatedRun(token) {
      const { url, adminHeaders } = started();
      return admin(await execute(url, ExecuteWorkflowDocument, { name: GATED.name, context: { token } }, adminHeaders)).executeWorkflow
        .execution.id;
    },
    async openGate(gate, token) {
      const { url, adminHeaders } = started();
      admin(await execute(url, PublishEventDocument, { name: `console.${gate}`, payload: { token } }, adminHeaders));
    },
  };
}
