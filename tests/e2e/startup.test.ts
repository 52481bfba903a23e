import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from '../../src/infra/embedded-postgres.js';

/**
 * `npm start` as a user runs it: the built server (dist/, made by `npm test` before jest) in a child
 * process, with nothing but a data directory: it must start its own PostgreSQL.
 */
const MAIN = path.resolve('dist/src/main.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'pipe' });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

/** The first line of `running`'s stdout that matches, as soon as it is written (fails once the process has ended without it). */
function waitForLine(running: Running, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const found = () => running.stdout.find((candidate) => pattern.test(candidate));
    const settle = (line: string | undefined, why: string) => {
      clearTimeout(timer);
      running.child.stdout.off('data', onData);
      running.child.off('close', onClose);
      if (line === undefined) reject(new Error(`no line matching ${pattern} (${why}); got:\n${running.stdout.join('\n')}`));
      else resolve(line);
    };
    // Registered after run()'s own listener, so the chunk's lines are in `running.stdout` by then.
    const onData = () => {
      const line = found();
      if (line !== undefined) settle(line, '');
    };
    // 'close': the process has exited and its output is all read.
    const onClose = () => settle(found(), 'the process ended');
    const timer = setTimeout(() => settle(found(), `within ${timeoutMs} ms`), timeoutMs);
    running.child.stdout.on('data', onData);
    running.child.once('close', onClose);
    const line = found();
    if (line !== undefined) settle(line, '');
    else if (running.child.stdout.readableEnded) onClose();
  });
}

const ADMIN_PASSWORD = 'e2e-admin-password';

async function graphql(port: number, query: string, token?: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

async function login(port: number): Promise<string> {
  const body = (await graphql(port, `mutation { login(email: "admin@switchyard.local", password: "${ADMIN_PASSWORD}") { token } }`)) as {
    data?: { login: { token: string } };
  };
  if (!body.data) throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.data.login.token;
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves on an embedded PostgreSQL, shuts down on Ctrl-C, and reuses the data on the next start', async () => {
    const port = await findFreePort();
    const env = { PORT: String(port), SWITCHYARD_DATA_DIR: dataDir, LOG_LEVEL: 'info', SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD };

    const first = run(env);
    expect(await waitForLine(first, /Switchyard is running/)).toContain(`http://localhost:${port}/graphql`);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const token = await login(port);
    expect(await graphql(port, '{ workflow(name: "kept_between_runs") { name } }', token)).toMatchObject({
      errors: [{ extensions: { code: 'NOT_FOUND' } }],
    });

    // Write a workflow straight into the embedded database, as the first run's data.
    const started = JSON.parse(await waitForLine(first, /embedded PostgreSQL started/)) as { port: number };
    const credentials = JSON.parse(await readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8')) as {
      user: string;
      password: string;
    };
    const client = new pg.Client({
      host: '127.0.0.1',
      port: started.port,
      user: credentials.user,
      password: credentials.password,
      database: 'switchyard',
    });
    await client.connect();
    await client.query(`
      with tenant as (select id from tenants where slug = 'default'),
           workflow as (insert into workflows select gen_random_uuid(), id, 'kept_between_runs', '', 1, true, '{}', now(), now() from tenant returning id)
      insert into workflow_versions select gen_random_uuid(), id, 1, '{"steps": []}', now() from workflow`);
    await client.end();

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.stdout.join('\n')).toContain('shutting down');
    // The embedded PostgreSQL stopped with us.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = run(env);
    await waitForLine(second, /Switchyard is running/);
    // The token of the first run still works: the signing secret persists in the data directory too.
    expect(await graphql(port, '{ workflow(name: "kept_between_runs") { name version } }', token)).toEqual({
      data: { workflow: { name: 'kept_between_runs', version: 1 } },
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stderr).toEqual([]);
  });

  it('stops on a malformed DATABASE_URL with one line naming it', async () => {
    const started = run({ DATABASE_URL: 'postgres//nowhere' });
    expect(await started.exited).toBe(1);
    expect(started.stderr).toHaveLength(1);
    expect(started.stderr[0]).toMatch(/^switchyard: Invalid configuration: DATABASE_URL must be a URL/);
  });

  it('stops on a port in use with one line naming PORT', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '0.0.0.0', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const started = run({ PORT: String(port), SWITCHYARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      expect(await started.exited).toBe(1);
      expect(started.stderr).toEqual([`switchyard: PORT ${port} is already in use on 0.0.0.0; set PORT to a free port`]);
      // It let go of what it had started: the next start gets the data directory.
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
