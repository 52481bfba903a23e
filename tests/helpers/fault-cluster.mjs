// A Switchyard cluster of real processes on infrastructure of its own, for fault tests (issue 10): a
// PostgreSQL cluster run with pg_ctl (so that `pg_ctl restart -m fast` is real), a redis-server that can
// be stopped and started again on the same port (both in fault-infrastructure.mjs), and `node
// dist/src/main.js` processes per role. Plain JavaScript on the built product, shared by
// tests/e2e/faults.test.ts and scripts/fault-soak.mjs.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, redisServer, startPostgres } from './fault-infrastructure.mjs';

export { freePort };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// FAULT_SWITCHYARD_MAIN: another build to test (e.g. an older commit's dist/src/main.js).
const MAIN = path.resolve(process.env.FAULT_SWITCHYARD_MAIN ?? path.join(ROOT, 'dist/src/main.js'));
export const ADMIN_EMAIL = 'admin@switchyard.local';
export const ADMIN_PASSWORD = 'fault-suite-admin-password';
const JWT_SECRET = 'fault-suite-jwt-secret-0123456789abcdef0123456789';
const TAIL_LINES = 300;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something truthy; errors (a database that is down) count as "not yet". */
export async function waitFor(check, { timeoutMs, what, intervalMs = 200 }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(intervalMs);
  }
}

/** Local TCP ports of `pid`'s sockets connected to `remotePort` (from /proc: Linux only). */
async function connectedPorts(pid, remotePort) {
  const inodes = new Set();
  for (const fd of await fs.readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match) inodes.add(match[1]);
  }
  const ports = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await fs.readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      if (Number.parseInt(cols[2].split(':')[1], 16) === remotePort) ports.push(Number.parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

/**
 * Starts PostgreSQL, Redis and the processes: `apis` API processes, `workers` workers and `schedulers`
 * schedulers, each with a name (api-1, worker-2, scheduler-1…) that restarts keep.
 */
export async function startFaultCluster(options = {}) {
  const {
    apis = 2,
    workers = 2,
    schedulers = 1,
    leaseSeconds = 6,
    graceSeconds = 5,
    logLevel = process.env.FAULT_LOG_LEVEL ?? 'info',
    env: extraEnv = {},
    // Within a test's 120 s beforeAll: a start that hangs fails here and stops what it started, rather
    // than leaving its processes (and their pipes) to a hook that timed out before `cluster` was assigned,
    // which keeps Jest's worker from exiting.
    startWithinMs = 100_000,
  } = options;
  const deadline = Date.now() + startWithinMs;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-faults-'));
  const postgres = await startPostgres(dir);
  let redis;
  try {
    redis = await redisServer(dir);
    // The harness's own connections: marked so that they are never mistaken for the product's.
    const db = new pg.Pool({
      connectionString: postgres.url.replace('/switchyard', '/postgres'),
      max: 3,
      application_name: 'fault-harness',
    });
    db.on('error', () => undefined);
    await db.query('create database switchyard').finally(() => db.end());
  } catch (error) {
    await redis?.close();
    await postgres.stop();
    throw error;
  }
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4, application_name: 'fault-harness' });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));

  const procs = new Map();
  const exits = [];

  function spawnProcess(proc) {
    const child = spawn(process.execPath, [MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: logLevel,
        HOST: '127.0.0.1',
        PORT: String(proc.port),
        SWITCHYARD_ROLES: proc.role,
        SWITCHYARD_DATA_DIR: path.join(dir, proc.name),
        SWITCHYARD_DEMO_DATA: 'false',
        SWITCHYARD_BUILT_IN_WORKFLOWS: 'none',
        DATABASE_URL: postgres.url,
        DATABASE_POOL_SIZE: '5',
        REDIS_URL: redis.url,
        JWT_SECRET,
        JWT_TTL_SECONDS: '3600',
        SWITCHYARD_ADMIN_EMAIL: ADMIN_EMAIL,
        SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
        SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
        SWITCHYARD_LEASE_SECONDS: String(leaseSeconds),
        SWITCHYARD_WORKER_CONCURRENCY: '20',
        SWITCHYARD_RECOVERY_INTERVAL_SECONDS: '1',
        // Every worker claims (no packing onto a primary worker, docs/operations.md), so a worker that
        // takes no new lease after a fault is stuck, not left idle by packing.
        SWITCHYARD_WORKER_CLAIM_DEFER_MS: '0',
        RATE_LIMIT_PER_MINUTE: '0',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.child = child;
    proc.pid = child.pid;
    proc.starts += 1;
    proc.expectExit = false;
    proc.log.write(`\n===== ${new Date().toISOString()} start #${proc.starts} pid ${child.pid}\n`);
    const onOutput = (chunk) => {
      proc.log.write(chunk);
      proc.tail.push(...chunk.toString().split('\n').filter(Boolean));
      if (proc.tail.length > TAIL_LINES) proc.tail.splice(0, proc.tail.length - TAIL_LINES);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    proc.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const exit = {
          name: proc.name,
          pid: child.pid,
          code,
          signal,
          expected: proc.expectExit,
          at: Date.now(),
          tail: proc.tail.slice(-15),
        };
        exits.push(exit);
        proc.log.write(`===== ${new Date().toISOString()} pid ${child.pid} exited: ${signal ?? `code ${code}`}\n`);
        resolve(exit);
      }),
    );
    proc.ready = new Promise((resolve, reject) => {
      let recent = '';
      child.stdout.on('data', (chunk) => {
        recent = (recent + chunk.toString()).slice(-4096);
        if (recent.includes('Switchyard is running')) resolve();
      });
      void proc.exited.then((exit) =>
        reject(new Error(`${proc.name} exited (${exit.signal ?? exit.code}) before it was ready:\n${exit.tail.join('\n')}`)),
      );
    });
    proc.ready.catch(() => undefined);
    return proc;
  }

  async function addProcess(role, index) {
    const name = `${role}-${index}`;
    const proc = {
      name,
      role,
      port: await freePort(),
      starts: 0,
      tail: [],
      log: createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' }),
    };
    proc.url = `http://127.0.0.1:${proc.port}/graphql`;
    proc.wsUrl = `ws://127.0.0.1:${proc.port}/graphql`;
    procs.set(name, proc);
    spawnProcess(proc);
    await withTimeout(proc.ready, Math.max(0, deadline - Date.now()), `${name} to start`);
  }

  const cluster = {
    dir,
    postgres,
    redis,
    pool,
    leaseSeconds,
    graceSeconds,
    procs,
    exits,
    query: (sql, params) => pool.query(sql, params),
    alive: (name) => {
      const child = procs.get(name)?.child;
      return Boolean(child && child.exitCode === null && child.signalCode === null);
    },
    names: (role) => [...procs.values()].filter((proc) => !role || proc.role === role).map((proc) => proc.name),
    apis: () => [...procs.values()].filter((proc) => proc.role === 'api' && cluster.alive(proc.name)),
    pid: (name) => procs.get(name).pid,
    /** Sends a signal we mean to send: the exit it causes is expected. Resolves with the exit. */
    kill(name, signal) {
      const proc = procs.get(name);
      proc.expectExit = true;
      if (cluster.alive(name)) proc.child.kill(signal);
      return proc.exited;
    },
    /** When `name` first prints a line matching `pattern` from now on (Date.now()), or undefined if it exits first. */
    outputSeen(name, pattern) {
      const { child, exited } = procs.get(name);
      return new Promise((resolve) => {
        let recent = '';
        const onData = (chunk) => {
          recent = (recent + chunk.toString()).slice(-4096);
          if (!pattern.test(recent)) return;
          child.stdout.off('data', onData);
          resolve(Date.now());
        };
        child.stdout.on('data', onData);
        void exited.then(() => {
          child.stdout.off('data', onData);
          resolve(undefined);
        });
      });
    },
    /** As a supervisor would: a new process of the same name, role and port once the old one is gone. */
    async restart(name) {
      const proc = procs.get(name);
      if (cluster.alive(name)) await cluster.kill(name, 'SIGKILL');
      spawnProcess(proc);
      await withTimeout(proc.ready, 90_000, `${name} to restart`);
    },
    /** Exits we did not cause, since exit number `since`. */
    unexpectedExits: (since = 0) => exits.slice(since).filter((exit) => !exit.expected),
    /** Backend pids of the named processes' connections (matched by their client ports). */
    async backends(names) {
      const ports = (await Promise.all(names.map((name) => connectedPorts(cluster.pid(name), postgres.port)))).flat();
      const { rows } = await pool.query('select pid from pg_stat_activity where client_port = any($1::int[]) and pid <> pg_backend_pid()', [
        ports,
      ]);
      return rows.map((row) => row.pid);
    },
    async terminateBackends(names) {
      const pids = await cluster.backends(names);
      const { rows } = await pool.query(
        'select count(*) filter (where pg_terminate_backend(pid))::int as n from unnest($1::int[]) as pid',
        [pids],
      );
      return rows[0].n;
    },
    tail: (name, lines = 40) => procs.get(name).tail.slice(-lines).join('\n'),
    /** What to read when a test fails: each process's last warnings and errors (pino levels 40+, or not JSON). */
    diagnostics(lines = 6) {
      const notable = (line) => !/^\{"level":(10|20|30),/.test(line);
      const parts = [`logs in ${dir} (kept: FAULT_KEEP_LOGS=1)`];
      for (const proc of procs.values()) {
        const last = proc.tail
          .filter(notable)
          .slice(-lines)
          .map((line) => line.slice(0, 400));
        parts.push(
          `--- ${proc.name} (${cluster.alive(proc.name) ? 'alive' : 'dead'}, start #${proc.starts}, pid ${proc.pid}):\n  ${last.join('\n  ')}`,
        );
      }
      return parts.join('\n');
    },
    async stop({ keepLogs = process.env.FAULT_KEEP_LOGS === '1' } = {}) {
      await Promise.all([...procs.keys()].map((name) => cluster.kill(name, 'SIGKILL')));
      for (const proc of procs.values()) proc.log.end();
      await pool.end().catch(() => undefined);
      await redis.close();
      await postgres.stop();
      if (!keepLogs) await fs.rm(dir, { recursive: true, force: true });
    },
  };

  try {
    // The first process migrates and seeds alone; the others then start side by side.
    await addProcess('api', 1);
    await Promise.all([
      ...Array.from({ length: apis - 1 }, (_, i) => addProcess('api', i + 2)),
      ...Array.from({ length: workers }, (_, i) => addProcess('worker', i + 1)),
      ...Array.from({ length: schedulers }, (_, i) => addProcess('scheduler', i + 1)),
    ]);
  } catch (error) {
    const diagnostics = cluster.diagnostics();
    await cluster.stop({ keepLogs: true });
    throw new Error(`${error.message}\n${diagnostics}`, { cause: error });
  }
  return cluster;
}

export async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
