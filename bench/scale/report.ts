import os from 'node:os';
import { fmt, summarise } from '../lib/stats.js';
import type { ScenarioResult, Topology, Workload } from './scenario.js';

/** Prints each scenario as it ends, then the targets: figures a person reads and compares. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
export const topologyLabel = (topology: Topology) => `${plural(topology.apis, 'API')} + ${plural(topology.workers, 'worker')}`;
const ms = (value: number) => `${fmt(value, value < 10 ? 1 : 0)} ms`;

export function printScenario(result: ScenarioResult): void {
  const { runs, cpu, statements, events } = result;
  const head = `${result.workload.padEnd(6)} ${topologyLabel(result.topology).padEnd(18)}`;
  const spread = runs.parts.length > 1 ? ` (parts ${fmt(Math.min(...runs.parts))}–${fmt(Math.max(...runs.parts))})` : '';
  if (events) {
    console.log(
      `${head} ${fmt(events.perSecond)} events/s recorded, ${fmt(events.dispatchedPerSecond)}/s dispatched; dispatch lag (event recorded → run created) p50 ${ms(events.lagP50Ms)}, p99 ${ms(events.lagP99Ms)}, max ${ms(events.lagMaxMs)}; ` +
        `recorded → dispatched p99 ${ms(events.dispatchedP99Ms)}; ${events.unstarted} of ${events.events} events started no run${result.dispatchTimedOut ? ' (dispatch still behind 10 s after the window: those count with their lag so far)' : ''}`,
    );
    console.log(
      `${' '.repeat(26)}runs ${fmt(runs.perSecond)}/s${spread}, p50 ${ms(runs.p50Ms)}, p99 ${ms(runs.p99Ms)}, failed ${runs.failed}`,
    );
  } else {
    console.log(
      `${head} ${fmt(runs.stepRate).padStart(6)} runs/s by steps, ${fmt(runs.perSecond)} by runs ended${spread}  p50 ${ms(runs.p50Ms)}  p99 ${ms(runs.p99Ms)}  in flight ${fmt(runs.meanInFlight)}  failed ${runs.failed}`,
    );
  }
  const indent = ' '.repeat(26);
  const api = summarise(result.driver.latencyMs, 1);
  console.log(
    `${indent}API side: ${result.driver.requested} ${events ? 'events' : 'runs'} asked in the window, each ${events ? 'publish' : 'engine.start'} p50 ${ms(api.p50)}, p99 ${ms(api.p99)}`,
  );
  // Per run; for the events workload, the API's CPU per event published.
  const done = Math.max(1, runs.completed);
  const apiPer = events ? Math.max(1, events.events) : done;
  const part = (label: string, value: number) => (Number.isNaN(value) ? '' : `, ${label} ${fmt(value / done, 2)}`);
  // With several workers, each one's part: what a worker that holds few runs costs the others.
  const eachWorker = cpu.perWorkerMs.length > 1 ? ` (${cpu.perWorkerMs.map((ms) => fmt(ms / done, 2)).join(' + ')})` : '';
  console.log(
    `${indent}CPU ms/run: workers ${fmt(cpu.workersMs / done, 2)}${eachWorker}, APIs ${fmt(cpu.apisMs / apiPer, 2)}${events ? ' per event' : ''}${part('postgres', cpu.postgresMs)}${part('redis', cpu.redisMs)}, coordinator ${fmt(cpu.coordinatorMs / done, 2)}; ` +
      `machine busy ${fmt(cpu.machineBusyCores, 2)} of ${os.availableParallelism()} cores (others' load ${fmt(cpu.otherCores, 2)})`,
  );
  if (statements) {
    const top = statements.top.map(
      (entry) => `${fmt(entry.totalMs / done, 2)} ms/run in ${fmt(entry.calls / done, 1)}× mean ${fmt(entry.meanMs, 2)} ms: ${entry.query}`,
    );
    console.log(
      `${indent}database: ${fmt(statements.totalMs / done, 2)} ms/run in ${fmt(statements.calls / done, 1)} statements/run (pg_stat_statements execution time)`,
    );
    // SCALE_DEBUG=1: every statement that mattered, not only the three costliest.
    for (const line of top.slice(0, process.env['SCALE_DEBUG'] === '1' ? 12 : 3)) console.log(`${indent}  ${line}`);
  }
  if (result.holding.length > 1) {
    const total = result.holding.reduce((sum, held) => sum + held, 0);
    console.log(
      `${indent}runs held per worker (mean): ${result.holding.map((held) => `${fmt(held, 1)} (${fmt((100 * held) / Math.max(total, 1e-9), 0)} %)`).join(', ')}`,
    );
  }
  if (result.waits.length > 0)
    console.log(`${indent}backends (mean, non-idle): ${result.waits.map((wait) => `${wait.state} ${fmt(wait.backends, 1)}`).join(', ')}`);
  if (result.driver.errors > 0 || runs.failed > 0 || result.logs.errors > 0 || result.logs.warnings > 0) {
    console.log(
      `${indent}problems: ${result.driver.errors} of ${result.driver.requested} starts/publishes failed${result.driver.firstError ? ` (${result.driver.firstError})` : ''}; ` +
        `${runs.failed} runs failed${runs.firstFailure ? ` (${runs.firstFailure})` : ''}; log: ${result.logs.warnings} warnings, ${result.logs.errors} errors ${result.logs.examples.join(' | ')}`,
    );
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};
const spread = (values: number[], digits = 1) =>
  values.length > 1
    ? `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`
    : fmt(values[0] ?? Number.NaN, digits);

/** The targets of issue 10, each with its figures per topology, its target and whether it is met. */
export function printTargets(results: readonly ScenarioResult[], topologies: readonly Topology[]): void {
  const of = (workload: Workload, topology: string) =>
    results.filter((result) => result.workload === workload && result.topology.name === topology);
  const rate = (workload: Workload, topology: string) => of(workload, topology).map((result) => result.runs.stepRate);
  const lagP99 = (topology: string) => of('events', topology).map((result) => result.events?.lagP99Ms ?? Number.NaN);
  const names = topologies.map((topology) => topology.name);
  const header = `| figure | ${topologies.map(topologyLabel).join(' | ')} | 2 workers / 1 worker | target | met |`;
  console.log(`\n${header}\n|${' --- |'.repeat(names.length + 4)}`);

  const ratioRow = (label: string, workload: Workload, target: number | undefined) => {
    if (!names.some((name) => of(workload, name).length > 0)) return;
    const one = rate(workload, '1w');
    const two = rate(workload, '2w');
    const ratio = one.length > 0 && two.length > 0 ? median(two) / median(one) : Number.NaN;
    // Pairwise (repeat by repeat) too, when repeated: how much the ratio itself moves.
    const pairs =
      one.length > 1 && one.length === two.length
        ? ` (${one.map((value, index) => fmt((two[index] ?? Number.NaN) / value, 2)).join(', ')})`
        : '';
    const met = target === undefined || Number.isNaN(ratio) ? '' : ratio >= target ? 'yes' : 'no';
    const cells = names.map((name) => spread(rate(workload, name)));
    console.log(
      `| ${label} | ${cells.join(' | ')} | ${fmt(ratio, 2)}${pairs} | ${target === undefined ? '—' : `≥ ${target.toFixed(1)}`} | ${met} |`,
    );
  };
  ratioRow('no-op workflow, runs/s', 'noop', 1.0);
  ratioRow('CPU workflow (6 × 10 ms), runs/s', 'cpu', 1.6);
  ratioRow("issue's workflow (local effects, transform, 1 s wait), runs/s", 'mixed', undefined);
  if (names.some((name) => of('events', name).length > 0)) {
    const measured = names.flatMap((name) => lagP99(name)).filter((value) => !Number.isNaN(value));
    const met = measured.length === 0 ? '' : measured.every((value) => value <= 1_000) ? 'yes' : 'no';
    console.log(
      `| dispatch lag p99 at 100 events/s, ms | ${names.map((name) => spread(lagP99(name), 0)).join(' | ')} | — | ≤ 1000 (every topology) | ${met} |`,
    );
    const lagMax = (name: string) => of('events', name).map((result) => result.events?.lagMaxMs ?? Number.NaN);
    const lagP50 = (name: string) => of('events', name).map((result) => result.events?.lagP50Ms ?? Number.NaN);
    console.log(
      `| dispatch lag p50 / max, ms | ${names.map((name) => `${spread(lagP50(name), 0)} / ${spread(lagMax(name), 0)}`).join(' | ')} | — | — | |`,
    );
  }
  console.log(
    '\n(cells: median of repeats (min–max); runs/s = steps completed in the window / 6; the 4 API + 4 worker column has no target)',
  );
}
