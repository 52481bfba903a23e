import { execFileSync } from 'node:child_process';
import { coerceError } from '../../src/errors.js';
import { startInfra } from './infra.js';
import { printScenario, printTargets, topologyLabel } from './report.js';
import { runTopology, WORKLOADS, type ScenarioResult, type Settings, type Topology, type Workload } from './scenario.js';

/**
 * `npm run bench:scale`: does a second worker process add throughput? Real separate processes (API
 * processes that start runs and publish events, worker processes that run them and dispatch events)
 * on one PostgreSQL and one Redis, per workload and topology; see README's Benchmarks section.
 *
 * SCALE_QUICK=1 (about 2 minutes), SCALE_SCENARIOS=noop,cpu,mixed,events, SCALE_TOPOLOGIES=1w,2w,4x4,
 * SCALE_SECONDS (measured, per scenario), SCALE_WARMUP_SECONDS, SCALE_REPEAT, SCALE_IN_FLIGHT,
 * SCALE_EVENT_RATE, SCALE_POLL_MS; SWITCHYARD_* settings pass through to the bench processes, and so do
 * SCALE_PACKING_SATURATED_AT and SCALE_PACKING_WINDOW_MS, packing's internal settings (bench/scale/node.ts).
 */

const TOPOLOGIES: Record<string, Topology> = {
  '1w': { name: '1w', apis: 1, workers: 1 },
  '2w': { name: '2w', apis: 1, workers: 2 },
  '4x4': { name: '4x4', apis: 4, workers: 4 },
};

const env = process.env;
const quick = env['SCALE_QUICK'] === '1';
const number = (name: string, fallback: number, min: number, max: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
  return value;
};
const list = (name: string, fallback: string, allowed: readonly string[]) => {
  const values = (env[name] ?? fallback)
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = values.filter((value) => !allowed.includes(value));
  if (unknown.length > 0 || values.length === 0) throw new Error(`${name}: one or more of ${allowed.join(', ')}`);
  return values;
};

// Bounded in count and time: at most 4 × 3 scenarios × 5 repeats of at most 2 minutes each.
const settings: Settings = {
  warmupSeconds: number('SCALE_WARMUP_SECONDS', quick ? 3 : 5, 1, 60),
  measureSeconds: number('SCALE_SECONDS', quick ? 8 : 15, 2, 120),
  inFlight: number('SCALE_IN_FLIGHT', 50, 1, 500),
  pollMs: number('SCALE_POLL_MS', 50, 10, 1_000),
  eventsPerSecond: number('SCALE_EVENT_RATE', 100, 1, 1_000),
  parts: 5,
};
const workloads = list('SCALE_SCENARIOS', quick ? 'noop,cpu,events' : WORKLOADS.join(','), WORKLOADS) as Workload[];
const topologies = list('SCALE_TOPOLOGIES', quick ? '1w,2w' : '1w,2w,4x4', Object.keys(TOPOLOGIES)).map((name) => TOPOLOGIES[name]!);
const repeat = number('SCALE_REPEAT', 1, 1, 20);

function commit(): string {
  // A build from an exported tree (no .git) names its commit itself.
  if (env['SCALE_COMMIT']) return env['SCALE_COMMIT'];
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch (error) {
    return `unknown (${coerceError(error).message.split('\n')[0]})`;
  }
}

// Everything started is undone in reverse order, on success, failure or Ctrl-C.
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    await cleanups.pop()!().catch((error: unknown) => console.error(`bench:scale: clean-up step failed: ${coerceError(error).message}`));
  }
}

const abort = new AbortController();
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130); // The embedded PostgreSQL's exit hook still stops it.
    console.error(`\nbench:scale: ${signal}, stopping the processes and cleaning up…`);
    abort.abort(new Error(`interrupted by ${signal}`));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const infra = await startInfra((step) => cleanups.push(step));
  console.log(
    `bench:scale at ${commit()} — ${infra.describe}; ${settings.inFlight} in flight (closed loop), ${settings.eventsPerSecond} events/s; ` +
      `warm-up ${settings.warmupSeconds} s, measured ${settings.measureSeconds} s per scenario, ${repeat} repeat(s)`,
  );
  console.log(`workloads: ${workloads.join(', ')}; topologies: ${topologies.map(topologyLabel).join(', ')}\n`);
  const results: ScenarioResult[] = [];
  let failures = 0;
  for (let round = 0; round < repeat; round += 1) {
    // Odd rounds in reverse: drift over the run then weighs on every topology alike.
    for (const topology of round % 2 === 0 ? topologies : [...topologies].reverse()) {
      abort.signal.throwIfAborted();
      try {
        await runTopology(infra, topology, workloads, settings, abort.signal, (workload, result) => {
          if (result instanceof Error) {
            failures += 1;
            console.log(`${workload.padEnd(6)} ${topologyLabel(topology).padEnd(18)} FAILED: ${result.message}`);
          } else {
            results.push(result);
            printScenario(result);
          }
        });
      } catch (error) {
        if (abort.signal.aborted) throw abort.signal.reason;
        failures += 1;
        console.log(`${topologyLabel(topology)}: FAILED: ${coerceError(error).message}`);
      }
    }
  }
  printTargets(results, topologies);
  console.log(
    `\n${results.length} scenarios in ${Math.round((performance.now() - started) / 1000)} s${failures > 0 ? `, ${failures} failed` : ''}`,
  );
  return failures > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`bench:scale: ${coerceError(error).message}`);
} finally {
  await cleanUp();
}
process.exit(interrupted > 0 ? 130 : code);
