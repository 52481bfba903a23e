import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type pg from 'pg';

const WORKER = path.resolve('tests/helpers/crash-worker.mjs');

export interface CrashWorker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ready: Promise<void>;
  kill(): Promise<void>;
}

/**
 * A worker in a child process (see crash-worker.mjs); `crashAt` makes it SIGKILL itself there;
 * `stepDelayMs` makes each of its steps take that long (inside the step's transaction).
 */
export function spawnWorker(
  databaseUrl: string,
  options: { crashAt?: string; crashOnHit?: number; stepDelayMs?: number; tenantConcurrencyLimit?: number } = {},
): CrashWorker {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: databaseUrl,
      LEASE_SECONDS: '2',
      ...(options.crashAt ? { CRASH_AT: options.crashAt, CRASH_ON_HIT: String(options.crashOnHit ?? 1) } : {}),
      ...(options.stepDelayMs ? { STEP_DELAY_MS: String(options.stepDelayMs) } : {}),
      ...(options.tenantConcurrencyLimit ? { TENANT_CONCURRENCY_LIMIT: String(options.tenantConcurrencyLimit) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error('the worker exited before it was ready')));
  });
  ready.catch(() => undefined);
  return {
    child,
    exited,
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Effects per idempotency key: a key seen twice is a duplicated local effect. */
export async function effectCounts(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ idempotency_key: string; n: number }>(
    'select idempotency_key, count(*)::int as n from test_effects group by 1',
  );
  return new Map(rows.map((row) => [row.idempotency_key, row.n]));
}

/** How many effects the runs `ids` have recorded so far. */
export async function effectsOf(pool: pg.Pool, ids: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from test_effects where split_part(idempotency_key, ':', 1) = any($1::text[])",
    [ids],
  );
  return rows[0]?.n ?? 0;
}

export async function statuses(pool: pg.Pool, ids: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; status: string }>('select id, status from executions where id = any($1::uuid[])', [ids]);
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** mulberry32: a tiny seeded generator, so that the "random" moment can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
