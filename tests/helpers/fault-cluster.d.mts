// Types of fault-cluster.mjs (plain JavaScript so that scripts/fault-soak.mjs runs it without a build).
import type pg from 'pg';

export const ADMIN_EMAIL: string;
export const ADMIN_PASSWORD: string;
export function sleep(ms: number): Promise<void>;
export function freePort(): Promise<number>;
export function waitFor<T>(
  check: () => Promise<T> | T,
  options: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<NonNullable<T>>;
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;

export type Role = 'api' | 'worker' | 'scheduler';

export interface ProcessExit {
  name: string;
  pid: number;
  code: number | null;
  signal: string | null;
  /** The harness signalled it. */
  expected: boolean;
  at: number;
  tail: string[];
}

export interface ClusterProcess {
  readonly name: string;
  readonly role: Role;
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly pid: number;
  readonly starts: number;
}

export interface FaultCluster {
  readonly dir: string;
  readonly postgres: {
    readonly port: number;
    readonly url: string;
    readonly logFile: string;
    restart(): Promise<unknown>;
    stop(): Promise<void>;
  };
  readonly redis: { readonly port: number; readonly url: string; running(): boolean; start(): Promise<void>; stop(): Promise<void> };
  readonly pool: pg.Pool;
  readonly leaseSeconds: number;
  readonly graceSeconds: number;
  readonly exits: readonly ProcessExit[];
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  alive(name: string): boolean;
  names(role?: Role): string[];
  apis(): ClusterProcess[];
  pid(name: string): number;
  kill(name: string, signal: NodeJS.Signals): Promise<ProcessExit>;
  restart(name: string): Promise<void>;
  unexpectedExits(since?: number): ProcessExit[];
  /** When `name` first prints a line matching `pattern` from now on (Date.now()), or undefined if it exits first. */
  outputSeen(name: string, pattern: RegExp): Promise<number | undefined>;
  backends(names: string[]): Promise<number[]>;
  terminateBackends(names: string[]): Promise<number>;
  tail(name: string, lines?: number): string;
  diagnostics(lines?: number): string;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export interface FaultClusterOptions {
  apis?: number;
  workers?: number;
  schedulers?: number;
  leaseSeconds?: number;
  graceSeconds?: number;
  logLevel?: string;
  env?: Record<string, string>;
  /** The whole start fails (and stops what it started) after this long: 100 s, within a test's 120 s hook. */
  startWithinMs?: number;
}

export function startFaultCluster(options?: FaultClusterOptions): Promise<FaultCluster>;
