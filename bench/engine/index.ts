import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger as QueueLogger, makeWorkerUtils, run as runQueue, runMigrations as runQueueMigrations } from 'graphile-worker';
import pg from 'pg';
import { benchPostgres } from '../lib/postgres.js';
import { closedLoop, fmt, median, summarise } from '../lib/stats.js';
import { IN_FLIGHT, N, STEPS, WARMUP, WIDE_IN_FLIGHT, type Contender, type Result, type Variant, type VariantResult } from './settings.js';

/**
 * `npm run bench:engine`: a 6-step workflow of no-op steps run N times with IN_FLIGHT at once, through
 * Switchyard, DBOS Transact and a 6-job graphile-worker chain, against one PostgreSQL, plus the
 * one-row-update transaction limit of that server. Every step is a durable commit (synchronous_commit on).
 * `metrics` and `tracing` price Switchyard's Prometheus metrics and OpenTelemetry traces: ROUNDS rounds,
 * each running the variants forward then back (off, metrics, tracing, tracing, metrics, off), every run
 * in a fresh process on a fresh database, so drift of the machine's load falls on all of them alike.
 * `wide` (WIDE_IN_FLIGHT at once) and `processes` (the runs started in one process and run by one, then two,
 * worker processes) are interleaved with `off` the same way, and compared with it. So is DBOS Transact:
 * `ratio vs DBOS` is the median over the rounds of each round's ratio (Switchyard's mean ÷ DBOS's).
 */
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const silentQueueLogger = new QueueLogger(() => () => undefined);

/** A dropped connection is reported by the query that used it (graphile-worker asks for both handlers). */
function quiet(pool: pg.Pool): void {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** One Switchyard run (switchyard-run.ts) or DBOS run (dbos-run.ts) in a process of its own; `tracing` under the tracing preload. */
function runVariant(variant: Contender, databaseUrl: string): Promise<VariantResult> {
  const execArgv = [
    '--max-semi-space-size=64', // as `npm start` runs the server
    ...(variant === 'tracing' ? ['--import', path.join(here, '../lib/tracing-preload.js')] : []),
    // BENCH_CPU_PROF=<dir>: each run writes a V8 CPU profile there (open it in Chrome's DevTools).
    ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : []),
  ];
  const child = fork(path.join(here, variant === 'dbos' ? 'dbos-run.js' : 'switchyard-run.js'), [], {
    execArgv,
    env: { ...process.env, BENCH_ENGINE_VARIANT: variant, BENCH_DATABASE_URL: databaseUrl },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    let answer: VariantResult | undefined;
    child.once('message', (message: VariantResult) => (answer = message));
    child.once('error', reject);
    child.once('exit', (code) => (answer ? resolve(answer) : reject(new Error(`the ${variant} run exited with ${code} and no figures`))));
  });
}

/** The mean throughput and latencies of runs of the same variant. */
function meanOf(runs: readonly Result[]): Result {
  const mean = (pick: (run: Result) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return { ...runs[0]!, perSecond: mean((run) => run.perSecond), p50: mean((run) => run.p50), p99: mean((run) => run.p99) };
}

interface Priced {
  /** Every run of each variant (and of DBOS), over all rounds. */
  runs: Map<Contender, VariantResult[]>;
  /**
   * Per round, each priced variant's cost: 1 − its mean workflows/s ÷ the same round's `off` mean, and its
   * CPU time per workflow ÷ `off`'s − 1 (steadier on a shared machine: another process's load slows the
   * clock, not the CPU a workflow takes).
   */
  costs: Map<Variant, Array<{ throughput: number; cpu: number }>>;
  /** Per round, with DBOS in it: `off`'s mean workflows/s ÷ DBOS's. */
  dbosRatios: number[];
}

const meanCpu = (runs: readonly VariantResult[]) => runs.reduce((sum, run) => sum + run.cpuMsPerWorkflow, 0) / runs.length;

const isVariant = (contender: Contender): contender is Variant => contender !== 'dbos';

/** `ROUNDS` rounds of the variants (and DBOS), forward then back; off alone: one run per round. */
async function priceVariants(
  variants: readonly Contender[],
  database: (name: string) => Promise<string>,
  report: (line: string) => void,
): Promise<Priced> {
  const order: Contender[] = variants.length > 1 ? [...variants, ...[...variants].reverse()] : [...variants];
  const runs = new Map<Contender, VariantResult[]>(variants.map((variant) => [variant, []]));
  const priced = variants.filter(isVariant).filter((variant) => variant !== 'off');
  const costs: Priced['costs'] = new Map(priced.map((variant) => [variant, []]));
  const dbosRatios: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const inRound = new Map<Contender, VariantResult[]>(variants.map((variant) => [variant, []]));
    for (const variant of order) {
      const result = await runVariant(variant, await database(variant === 'dbos' ? 'bench_dbos' : `bench_switchyard_${variant}`));
      inRound.get(variant)?.push(result);
      runs.get(variant)?.push(result);
      report(
        `  round ${round}/${ROUNDS}: ${line(result)}   CPU ${fmt(result.cpuMsPerWorkflow, 2).padStart(6)} ms/wf (machine ${fmt(result.machineCpuMsPerWorkflow, 2)})` +
          (result.workersCpuMsPerWorkflow
            ? `, worker processes ${result.workersCpuMsPerWorkflow.map((ms) => fmt(ms, 2)).join(' + ')}`
            : ''),
      );
    }
    const off = inRound.get('off') ?? [];
    for (const [variant, each] of costs) {
      const priced = inRound.get(variant) ?? [];
      each.push({ throughput: 1 - meanOf(priced).perSecond / meanOf(off).perSecond, cpu: meanCpu(priced) / meanCpu(off) - 1 });
    }
    const dbos = inRound.get('dbos') ?? [];
    if (dbos.length > 0 && off.length > 0) dbosRatios.push(meanOf(off).perSecond / meanOf(dbos).perSecond);
  }
  return { runs, costs, dbosRatios };
}

/** A cost's median over the rounds, and every round's, in %. */
function spread(costs: readonly number[]): string {
  const percent = (cost: number) => fmt(cost * 100, 1);
  const rounds =
    costs.length > 1
      ? ` (rounds: ${costs.map(percent).join(', ')}; range ${percent(Math.min(...costs))} to ${percent(Math.max(...costs))})`
      : '';
  return `${percent(median(costs))} %${rounds}`;
}

function costLine(costs: ReadonlyArray<{ throughput: number; cpu: number }>): string {
  const rounds = `median of ${costs.length} round${costs.length === 1 ? '' : 's'}`;
  return `${spread(costs.map((cost) => cost.throughput))} of workflows/s, ${rounds}; CPU per workflow +${spread(costs.map((cost) => cost.cpu))}`;
}

async function benchGraphileChain(url: string): Promise<Result> {
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  quiet(pool);
  await runQueueMigrations({ pgPool: pool, logger: silentQueueLogger });
  const finished = new Map<string, () => void>();
  const runner = await runQueue({
    pgPool: pool,
    concurrency: IN_FLIGHT,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: silentQueueLogger,
    taskList: {
      chain_step: async (payload, helpers) => {
        const { chain, i } = payload as { chain: string; i: number };
        if (i + 1 < STEPS) await helpers.addJob('chain_step', { chain, i: i + 1 });
        else finished.get(chain)?.();
      },
    },
  });
  const utils = await makeWorkerUtils({ pgPool: pool, logger: silentQueueLogger });
  let counter = 0;
  const runOne = async () => {
    const chain = `c${counter++}`;
    const complete = new Promise<void>((resolve) => finished.set(chain, resolve));
    await utils.addJob('chain_step', { chain, i: 0 });
    await complete;
    finished.delete(chain);
  };
  const { latencies, seconds } = await closedLoop(N, IN_FLIGHT, runOne, WARMUP);
  await runner.stop();
  await utils.release();
  await pool.end();
  return { name: 'graphile-worker 6-job chain', steps: STEPS, ...summarise(latencies, seconds) };
}

/** The server's durable-write ceiling: 16 clients each updating their own row, one commit per update. */
async function rawUpdateLimit(url: string): Promise<{ tps: number }> {
  const clients = 16;
  const pool = new pg.Pool({ connectionString: url, max: clients });
  pool.on('error', () => undefined);
  await pool.query('create table if not exists bench_rows (id int primary key, v bigint not null)');
  await pool.query('insert into bench_rows select g, 0 from generate_series(1, $1) g on conflict do nothing', [clients]);
  const durationMs = 5_000;
  let count = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, id) => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          await client.query('update bench_rows set v = v + 1 where id = $1', [id + 1]);
          count += 1;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return { tps: count / (durationMs / 1000) };
}

const line = (result: Result) =>
  `${result.name.padEnd(30)} ${fmt(result.perSecond).padStart(9)} wf/s ${fmt(result.perSecond * result.steps).padStart(9)} steps/s   p50 ${fmt(result.p50).padStart(7)} ms   p99 ${fmt(result.p99).padStart(7)} ms`;

/** Does throughput hold as concurrency grows and as the work spreads over worker processes? */
function printScaling(off: Result, runs: Priced['runs']): void {
  const versus = (variant: Variant, label: string, base: Result, baseLabel: string) => {
    const each = runs.get(variant) ?? [];
    if (each.length === 0) return;
    const mean = meanOf(each);
    console.log(
      `${label}: ${fmt(mean.perSecond)} vs ${fmt(base.perSecond)} wf/s (${baseLabel}), ratio ${fmt(mean.perSecond / base.perSecond, 2)}; p99 ${fmt(mean.p99)} vs ${fmt(base.p99)} ms`,
    );
  };
  versus('wide', `${WIDE_IN_FLIGHT} in flight`, off, `${IN_FLIGHT}, one process`);
  versus('workers1', '1 worker process', off, `${IN_FLIGHT} in flight, one process`);
  versus('workers2', '2 worker processes', off, `${IN_FLIGHT} in flight, one process`);
  const one = runs.get('workers1') ?? [];
  if (one.length > 0) versus('workers2', '2 worker processes', meanOf(one), '1 worker process');
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  console.log(`bench:engine — N=${N}, in flight=${IN_FLIGHT}, ${STEPS} no-op steps per workflow, ${postgres.describe}`);
  try {
    const only = process.env['ONLY']?.split(',');
    const want = (name: string) => !only || only.includes(name);
    const results: Result[] = [];
    const variants: Contender[] = [
      ...(['switchyard', 'metrics', 'tracing', 'wide', 'processes', 'dbos'].some(want) ? (['off'] as const) : []),
      ...(want('metrics') ? (['metrics'] as const) : []),
      ...(want('tracing') ? (['tracing'] as const) : []),
      ...(want('wide') ? (['wide'] as const) : []),
      ...(want('processes') ? (['workers1', 'workers2'] as const) : []),
      ...(want('dbos') ? (['dbos'] as const) : []),
    ];
    const priced = variants.length > 0 ? await priceVariants(variants, postgres.database, (text) => console.log(text)) : undefined;
    for (const runs of priced?.runs.values() ?? []) if (runs.length > 0) results.push(meanOf(runs));
    if (want('graphile')) results.push(await benchGraphileChain(await postgres.database('bench_graphile')));
    for (const result of results) console.log(line(result));
    if (want('raw')) {
      const raw = await rawUpdateLimit(await postgres.database('bench_raw'));
      console.log(`${'one-row update, 16 clients'.padEnd(30)} ${fmt(raw.tps).padStart(9)} TPS (durable-write limit)`);
    }
    const off = results.find((result) => result.name === 'Switchyard');
    const ratios = priced?.dbosRatios ?? [];
    if (ratios.length > 0)
      console.log(
        `ratio vs DBOS: ${fmt(median(ratios), 2)} (median of ${ratios.length} rounds: ${ratios.map((ratio) => fmt(ratio, 2)).join(', ')})`,
      );
    const cpuOf = (runs: readonly VariantResult[] = []) =>
      `${fmt(median(runs.map((run) => run.cpuMsPerWorkflow)), 2)} ms in its process, ${fmt(median(runs.map((run) => run.machineCpuMsPerWorkflow)), 2)} ms on the machine`;
    if (ratios.length > 0)
      console.log(
        `CPU per workflow (medians): Switchyard ${cpuOf(priced?.runs.get('off'))}; DBOS Transact ${cpuOf(priced?.runs.get('dbos'))}`,
      );
    if (off && priced) printScaling(off, priced.runs);
    const metricsCosts = priced?.costs.get('metrics');
    const metered = results.find((result) => result.name === 'Switchyard + metrics');
    if (off && metered && metricsCosts)
      console.log(`metrics cost: ${costLine(metricsCosts)}; p99 ${fmt(off.p99)} → ${fmt(metered.p99)} ms (target ≤ 3 %)`);
    const tracingCosts = priced?.costs.get('tracing');
    const traced = priced?.runs.get('tracing') ?? [];
    if (off && tracingCosts && traced.length > 0) {
      const spans = traced.reduce((sum, run) => sum + (run.exported?.spans ?? 0), 0);
      const bytes = traced.reduce((sum, run) => sum + (run.exported?.bytes ?? 0), 0);
      const exported = `${fmt(spans / (traced.length * (N + WARMUP)), 1)} spans per run, ${fmt(bytes / 1e6 / traced.length, 1)} MB per ${fmt(N + WARMUP, 0)} runs`;
      console.log(
        `tracing cost: ${costLine(tracingCosts)}; p99 ${fmt(off.p99)} → ${fmt(meanOf(traced).p99)} ms (OTLP ${process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf'} to a local receiver process: ${exported})`,
      );
    }
  } finally {
    await postgres.stop();
  }
}

await main();
process.exit(0);
