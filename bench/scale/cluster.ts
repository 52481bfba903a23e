import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coerceError } from '../../src/errors.js';
import { isReply, type Command, type Reply, type Role } from './protocol.js';

/**
 * The coordinator's side of the bench processes: forks them (node.ts), waits for each to be ready,
 * sends them orders, keeps the tail of their logs, and stops them — SIGTERM, then SIGKILL after a
 * grace period — however the scenario ends.
 */

const NODE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

type Done = Extract<Reply, { kind: 'done' }>;
type Order = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

export interface BenchProcess {
  readonly role: Role;
  readonly pid: number;
  request(order: Order): Promise<Done>;
}

export interface Cluster {
  readonly apis: BenchProcess[];
  readonly workers: BenchProcess[];
  /** Why a process died during the scenario, if one did. */
  failure(): string | undefined;
  /** Warning and error lines the processes logged, with a few distinct examples. */
  logSummary(): { warnings: number; errors: number; examples: string[] };
  stop(): Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  tenantId: string;
  apis: number;
  workers: number;
  /** Settings for the processes over the coordinator's SWITCHYARD_* (bench:engine sizes their workers). */
  env?: Readonly<Record<string, string>>;
}

/** Only what a Switchyard process reads (SWITCHYARD_* passes through, to try other settings). */
function childEnv(options: ClusterOptions, role: Role): NodeJS.ProcessEnv {
  const passed = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => key.startsWith('SWITCHYARD_') || key.startsWith('SCALE_PACKING_') || key === 'DATABASE_POOL_SIZE',
    ),
  );
  return {
    PATH: process.env['PATH'] ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['SCALE_LOG_LEVEL'] ?? 'warn',
    ...passed,
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    BENCH_ROLE: role,
    BENCH_TENANT_ID: options.tenantId,
  };
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const children: ChildProcess[] = [];
  const tail: string[] = [];
  const examples = new Set<string>();
  let warnings = 0;
  let errors = 0;
  let stopping = false;
  let died: string | undefined;

  const onLine = (role: Role, pid: number, line: string) => {
    tail.push(`[${role} ${pid}] ${line}`);
    if (tail.length > 20) tail.shift();
    // pino: 40 warn, 50 error, 60 fatal.
    const level = /"level":(\d+)/.exec(line)?.[1];
    if (level === '40') warnings += 1;
    else if (level === '50' || level === '60') errors += 1;
    else return;
    const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 160);
    if (examples.size < 4) examples.add(`${role}: ${message}`);
  };

  const spawnOne = (role: Role) =>
    new Promise<BenchProcess>((resolve, reject) => {
      const child = fork(NODE_SCRIPT, [], { env: childEnv(options, role), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      children.push(child);
      const pid = child.pid ?? 0;
      let partial = '';
      const onData = (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(role, pid, line);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      const pending = new Map<number, (reply: Done) => void>();
      let next = 0;
      const timer = setTimeout(() => reject(new Error(`${role} ${pid} not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      child.on('message', (message: unknown) => {
        if (!isReply(message)) return;
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve({
            role,
            pid,
            request: (order) =>
              new Promise<Done>((done) => {
                const id = next++;
                pending.set(id, done);
                child.send({ ...order, id } as Command);
              }),
          });
        } else {
          pending.get(message.id)?.(message);
          pending.delete(message.id);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const why = `${role} ${pid} exited (${signal ?? `code ${code}`}); last lines:\n  ${tail.slice(-8).join('\n  ')}`;
        if (!stopping) died ??= why;
        for (const [id, done] of pending) done({ kind: 'done', id, ids: [], ms: [], errors: 1, firstError: why });
        pending.clear();
        reject(new Error(why));
      });
    });

  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    // Workers first: the API processes' first starts then find someone to run them.
    const workers = await Promise.all(Array.from({ length: options.workers }, () => spawnOne('worker')));
    const apis = await Promise.all(Array.from({ length: options.apis }, () => spawnOne('api')));
    return {
      apis,
      workers,
      failure: () => died,
      logSummary: () => ({ warnings, errors, examples: [...examples] }),
      stop,
    };
  } catch (error) {
    await stop();
    throw coerceError(error);
  }
}
