import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, inspectorUrl, type InspectedProcess } from '../lib/inspector.js';
import { cpuMeter } from '../lib/process-cpu.js';

/**
 * A real Switchyard server (`node dist/src/main.js`) in a process of its own, as production runs it:
 * the benchmark's clients and load generators then do not share its event loop.
 */
export interface SwitchyardProcess {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  wsUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** CPU time the server process used between two calls (ms of user + system time). */
  cpuMs(): Promise<number>;
  pid: number;
  /** With `inspect: true`: the process's inspector (full collections, heap in use). */
  inspector?: InspectedProcess;
  stop(): Promise<void>;
}

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.js');

/**
 * `root`: another build's package directory (its package.json and dist/) to run instead of this one, e.g.
 * the code before a change, served beside it from the same database for a paired comparison.
 */
export async function startSwitchyardProcess(options: {
  databaseUrl: string;
  redisUrl?: string;
  env?: Record<string, string>;
  root?: string;
  /** Start it with the inspector on a free local port, for memory figures read after a full collection. */
  inspect?: boolean;
}): Promise<SwitchyardProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-server-'));
  const adminEmail = 'bench@switchyard.local';
  // A second server on the same database signs its admin in with the first one's password.
  const adminPassword = options.env?.['SWITCHYARD_ADMIN_PASSWORD'] ?? randomBytes(12).toString('hex');
  // e.g. SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server.
  const nodeArgs = (process.env['SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  if (options.inspect) nodeArgs.push('--inspect=127.0.0.1:0');
  // The young generation `npm start` gives the server (package.json).
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=64', ...nodeArgs, options.root ? path.resolve(options.root, 'dist/src/main.js') : MAIN],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: options.databaseUrl,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        SWITCHYARD_ROLES: 'api',
        SWITCHYARD_DATA_DIR: dataDir,
        JWT_SECRET: randomBytes(32).toString('hex'),
        JWT_TTL_SECONDS: '3600',
        SWITCHYARD_ADMIN_EMAIL: adminEmail,
        SWITCHYARD_ADMIN_PASSWORD: adminPassword,
        // On, as in production, and far above what a benchmark sends: the limiter runs on every request but never refuses.
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_BURST: '100000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // An API process names its URL; a process without the api role (a worker) has none.
      const match = /GraphQL and subscriptions on (http:\/\/\S+\/graphql)/.exec(output);
      if (match?.[1]) resolve(match[1]);
      else if (/Switchyard is running: roles (?!.*api)/.test(output)) resolve('');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output.trim().split('\n').slice(-5).join('\n')}`)));
  });
  // Keep draining its output (warnings) so that it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString()}`));

  const cpu = cpuMeter(child.pid ?? 0);
  await cpu();
  const inspectAt = options.inspect ? inspectorUrl(output) : undefined;
  if (options.inspect && !inspectAt) throw new Error('the server did not print its inspector address');
  const inspector = inspectAt ? await inspect(inspectAt) : undefined;

  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    adminEmail,
    adminPassword,
    cpuMs: cpu,
    pid: child.pid ?? 0,
    ...(inspector ? { inspector } : {}),
    async stop() {
      await inspector?.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in over HTTP as the server's admin: a token and its tenant. */
export async function loginAdmin(server: SwitchyardProcess): Promise<{ token: string; tenantId: string }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token viewer { tenant { id } } } }',
      variables: { email: server.adminEmail, password: server.adminPassword },
    }),
  });
  const body = (await response.json()) as { data?: { login: { token: string; viewer: { tenant: { id: string } } } }; errors?: unknown };
  if (!body.data) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
  return { token: body.data.login.token, tenantId: body.data.login.viewer.tenant.id };
}

/** One GraphQL request that must succeed. */
export async function graphql<T>(
  server: SwitchyardProcess,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
