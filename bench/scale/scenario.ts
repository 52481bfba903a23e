import pg from 'pg';
import { coerceError } from '../../src/errors.js';
import { startCluster, type Cluster } from './cluster.js';
import { startClosedLoop, startEventPublisher, type Driver, type DriverStats } from './drivers.js';
import { awaitDispatch, dbNow, eventFigures, runFigures, type EventFigures, type RunFigures, type Window } from './figures.js';
import type { Infra } from './infra.js';
import { STEPS } from './workloads.js';
import { cpuWindow, holdingSampler, statementsWindow, waitSampler, type CpuUse, type StatementUse } from './probes.js';

/**
 * A scenario is a workload on a topology (API and worker processes): warm-up, a measured window, the
 * figures. A topology's processes and its copy of the template database serve all its workloads
 * (starting 8 processes takes half a minute here) and are gone afterwards whatever happened.
 */

export type Workload = 'noop' | 'cpu' | 'events' | 'mixed';
/** In the order they run on a topology's processes. */
export const WORKLOADS: readonly Workload[] = ['noop', 'cpu', 'mixed', 'events'];
const WORKFLOW_OF: Record<Workload, string> = { noop: 'noop6', cpu: 'cpu6', events: 'on_ping', mixed: 'mixed6' };

export interface Topology {
  name: string;
  apis: number;
  workers: number;
}

export interface Settings {
  warmupSeconds: number;
  measureSeconds: number;
  inFlight: number;
  pollMs: number;
  eventsPerSecond: number;
  /** The window's parts whose runs/s show the spread inside one scenario. */
  parts: number;
}

export interface ScenarioResult {
  workload: Workload;
  topology: Topology;
  runs: RunFigures;
  events?: EventFigures;
  /** Events still undispatched when the bounded wait after the window ran out. */
  dispatchTimedOut?: boolean;
  driver: DriverStats;
  cpu: CpuUse;
  statements?: StatementUse;
  waits: Array<{ state: string; backends: number }>;
  /** Runs each worker held on average over the window, busiest first. */
  holding: number[];
  logs: ReturnType<Cluster['logSummary']>;
}

const DISPATCH_WAIT_MS = 10_000;
const DRAIN_MS = 20_000;
const STEADY_WAIT_MS = 30_000;
/** SCALE_DEBUG=1: how long each phase took, on stderr. */
const debug = process.env['SCALE_DEBUG'] === '1';
function phases(name: string): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    if (debug) console.error(`  [${name}] ${phase}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

/** Sleeps, but gives up as soon as the run is aborted (Ctrl-C) or a bench process died. */
async function watch(ms: number, cluster: Cluster, signal: AbortSignal): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    signal.throwIfAborted();
    const died = cluster.failure();
    if (died) throw new Error(died);
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - performance.now())));
  }
}

/** Waits (bounded) until the closed loop's last runs have ended, so the next workload starts clean. */
async function drain(db: pg.Pool, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from executions where status in ('pending', 'running', 'waiting')",
    );
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Stage {
  infra: Infra;
  database: string;
  db: pg.Pool;
  cluster: Cluster;
  topology: Topology;
  settings: Settings;
  signal: AbortSignal;
}

async function runWorkload(stage: Stage, workload: Workload): Promise<ScenarioResult> {
  const { infra, db, cluster, settings, signal } = stage;
  const phase = phases(`${workload} ${stage.topology.name}`);
  // Each window starts after a checkpoint, not in the middle of one the previous workload caused.
  await infra.admin.query('checkpoint');
  const logsBefore = cluster.logSummary();
  const driver: Driver =
    workload === 'events'
      ? startEventPublisher(cluster.apis, settings.eventsPerSecond)
      : startClosedLoop(db, cluster.apis, WORKFLOW_OF[workload], settings.inFlight, settings.pollMs);
  let stats: DriverStats;
  let window: Window;
  let probes: [CpuUse, StatementUse | undefined, ScenarioResult['waits'], number[]];
  try {
    await watch(settings.warmupSeconds * 1000, cluster, signal);
    // A slow workflow's first runs all start together and end together: the window opens only once
    // a full round of them has ended, in a steady state (bounded).
    for (let waited = 0; workload !== 'events' && waited < STEADY_WAIT_MS; waited += 500) {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from executions where workflow_id = (select id from workflows where name = $1) and status = 'completed'",
        [WORKFLOW_OF[workload]],
      );
      if ((rows[0]?.n ?? 0) >= settings.inFlight) break;
      await watch(500, cluster, signal);
    }
    const t0 = await dbNow(db);
    driver.measure();
    const cpu = cpuWindow({
      workers: cluster.workers.map((each) => each.pid),
      apis: cluster.apis.map((each) => each.pid),
      postgres: infra.postgresPid,
      redis: infra.redisPid,
    });
    const statements = infra.statements ? await statementsWindow(infra.admin, stage.database) : undefined;
    const waits = waitSampler(infra.admin, stage.database);
    const holding = holdingSampler(db);
    await watch(settings.measureSeconds * 1000, cluster, signal);
    window = { t0, t1: await dbNow(db) };
    probes = await Promise.all([cpu.end(), statements?.end(), waits.end(), holding.end()]);
  } finally {
    stats = await driver.stop();
  }
  phase('warm-up and window');
  const dispatchTimedOut = workload === 'events' ? !(await awaitDispatch(db, window.t1, DISPATCH_WAIT_MS)) : undefined;
  const [runs, events] = await Promise.all([
    runFigures(db, WORKFLOW_OF[workload], window, settings.parts, STEPS),
    workload === 'events' ? eventFigures(db, window) : Promise.resolve(undefined),
  ]);
  if (workload !== 'events') await drain(db, DRAIN_MS);
  phase('figures and drain');
  const logs = cluster.logSummary();
  const [cpu, statements, waits, holding] = probes;
  return {
    workload,
    topology: stage.topology,
    runs,
    ...(events ? { events, dispatchTimedOut: dispatchTimedOut ?? false } : {}),
    driver: stats,
    cpu,
    ...(statements ? { statements } : {}),
    waits,
    holding,
    logs: { warnings: logs.warnings - logsBefore.warnings, errors: logs.errors - logsBefore.errors, examples: logs.examples },
  };
}

/**
 * A topology's processes, started once on a fresh copy of the template, run the workloads in turn
 * (events last: a dispatch backlog it leaves would disturb whatever came next). Every topology runs
 * them in the same order, so each workload meets equally full tables in each.
 */
export async function runTopology(
  infra: Infra,
  topology: Topology,
  workloads: readonly Workload[],
  settings: Settings,
  signal: AbortSignal,
  onResult: (workload: Workload, result: ScenarioResult | Error) => void,
): Promise<void> {
  const database = `scale_${topology.name}`;
  const phase = phases(topology.name);
  const copy = await infra.database(database);
  const db = new pg.Pool({ connectionString: copy.url, max: 3 });
  db.on('error', () => undefined);
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({
      databaseUrl: copy.url,
      redisUrl: infra.redisUrl,
      tenantId: infra.tenantId,
      apis: topology.apis,
      workers: topology.workers,
    });
    phase('processes ready');
    for (const workload of [...workloads].sort((a, b) => WORKLOADS.indexOf(a) - WORKLOADS.indexOf(b))) {
      signal.throwIfAborted();
      try {
        onResult(workload, await runWorkload({ infra, database, db, cluster, topology, settings, signal }, workload));
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        onResult(workload, coerceError(error));
        // A dead process spoils whatever would follow on this topology.
        if (cluster.failure()) return;
      }
    }
  } finally {
    await cluster?.stop();
    phase('processes stopped');
    await db.end();
    await copy.drop();
  }
}
