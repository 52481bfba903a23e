// Fault soak (issue 10): the fault suite's cluster (2 API, 2 workers, a scheduler as real processes on a
// PostgreSQL and a Redis of its own, loopback only) under continuous load, with a fault chosen at random
// each cycle: Redis stopped for a while, `pg_ctl restart -m fast`, the workers' connections terminated,
// a worker SIGTERMed or SIGKILLed (and replaced). A process that dies on its own is counted and restarted,
// as a supervisor would. Prints runs started/completed/lost, repeated effects, failed runs, the worst
// recovery time and the processes that died.
//   npm run soak:faults   (FAULT_CYCLES=20, FAULT_KINDS=redis,postgres,terminate,sigterm,sigkill,
//   FAULT_IN_FLIGHT=16, FAULT_REDIS_DOWN_MS=5000, FAULT_LEASE_SECONDS=6, FAULT_RECOVERY_LIMIT_MS=45000,
//   FAULT_SOAK_MAX_SECONDS=600, FAULT_KEEP_LOGS=1 to keep the processes' logs)
import { randomInt } from 'node:crypto';
import { FAULTS, idleWorkers, superviseOnce } from '../tests/helpers/fault-actions.mjs';
import { startFaultCluster, waitFor } from '../tests/helpers/fault-cluster.mjs';
import { prepareWorkload, startLoad, verifyLoad } from '../tests/helpers/fault-workload.mjs';

const env = process.env;
const CYCLES = Number(env.FAULT_CYCLES ?? 20);
const KINDS = (env.FAULT_KINDS ?? 'redis,postgres,terminate,sigterm,sigkill').split(',').map((kind) => kind.trim());
const IN_FLIGHT = Number(env.FAULT_IN_FLIGHT ?? 16);
const REDIS_DOWN_MS = Number(env.FAULT_REDIS_DOWN_MS ?? 5_000);
const LEASE_SECONDS = Number(env.FAULT_LEASE_SECONDS ?? 6);
const RECOVERY_LIMIT_MS = Number(env.FAULT_RECOVERY_LIMIT_MS ?? 45_000);
const MAX_SECONDS = Number(env.FAULT_SOAK_MAX_SECONDS ?? 600);
for (const kind of KINDS)
  if (!FAULTS[kind]) throw new Error(`FAULT_KINDS: unknown fault ${kind} (known: ${Object.keys(FAULTS).join(', ')})`);

let cluster;
let load;
let cleaning;
let failed = false;
const cleanup = () =>
  (cleaning ??= (async () => {
    await load?.abort().catch(() => undefined);
    await cluster?.stop({ keepLogs: failed || env.FAULT_KEEP_LOGS === '1' }).catch((error) => console.error(`cleanup: ${error.message}`));
  })());
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the cluster…`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** The error a dead process printed last (its stack trace's first line), else its last line. */
const cause = (exit) =>
  (exit.tail.filter((line) => !line.startsWith('{') && /\w*Error\b/.test(line)).at(-1) ?? exit.tail.at(-1) ?? '').trim().slice(0, 300);
const seconds = (ms) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const started = Date.now();
const deadline = started + MAX_SECONDS * 1000;
const cycles = [];
const deaths = [];
try {
  cluster = await startFaultCluster({ apis: 2, workers: 2, schedulers: 1, leaseSeconds: LEASE_SECONDS, graceSeconds: 5 });
  console.log(`cluster up in ${seconds(Date.now() - started)} (logs in ${cluster.dir}); ${CYCLES} cycles of ${KINDS.join(', ')}`);
  const { token } = await prepareWorkload(cluster);
  load = startLoad(cluster, { token, inFlight: IN_FLIGHT });
  let exitsSeen = 0;

  for (let n = 1; n <= CYCLES; n += 1) {
    if (Date.now() > deadline) {
      console.log(`FAULT_SOAK_MAX_SECONDS=${MAX_SECONDS} reached: ${CYCLES - n + 1} cycles not run`);
      break;
    }
    // Each fault hits a working system: a few runs end first (bounded; a stalled system is reported, not waited for).
    const before = load.ended();
    const working = await waitFor(() => load.ended() >= before + 3, { timeoutMs: 20_000, what: 'runs ending' }).then(
      () => true,
      () => false,
    );
    const kind = KINDS[randomInt(KINDS.length)];
    const outcome = await FAULTS[kind](cluster, { redisDownMs: REDIS_DOWN_MS }).catch((error) => ({ error: error.message }));
    const faultEnd = Date.now();
    // Recovery: from the fault's end until every run in flight then has finished.
    const inFlight = load.openKeys();
    const [recoveryMs, idle] = await Promise.all([
      load.settled(inFlight, RECOVERY_LIMIT_MS).then((settled) => (settled ? Date.now() - faultEnd : undefined)),
      idleWorkers(cluster, 10_000),
    ]);
    const died = cluster.unexpectedExits(exitsSeen);
    deaths.push(...died.map((exit) => ({ ...exit, cycle: n, kind })));
    const restarted = await superviseOnce(cluster);
    exitsSeen = cluster.exits.length;
    cycles.push({ n, kind, working, outcome, recoveryMs, inFlight: inFlight.length, idle, died: died.map((exit) => exit.name) });
    console.log(
      `cycle ${n}/${CYCLES} ${kind}: ${JSON.stringify(outcome)}; ${inFlight.length} runs in flight at its end finished in ${seconds(recoveryMs)}` +
        `${working ? '' : '; the system was not completing runs before it'}${idle.length ? `; idle workers: ${idle.join(', ')}` : ''}` +
        `${died.length ? `; died: ${died.map((exit) => `${exit.name} (${exit.signal ?? `code ${exit.code}`})`).join(', ')}, restarted: ${restarted.join(', ')}` : ''}`,
    );
  }

  await load.finish(RECOVERY_LIMIT_MS + LEASE_SECONDS * 1000);
  const { summary, problems } = await verifyLoad(cluster, load);
  const lost = summary.started - summary.completed - summary.failed;
  // A cycle that never recovered is the worst; otherwise the slowest.
  const worst =
    cycles.find((cycle) => cycle.recoveryMs === undefined) ??
    cycles.reduce((max, cycle) => (!max || cycle.recoveryMs > max.recoveryMs ? cycle : max), undefined);
  const byKind = KINDS.map((kind) => {
    const ofKind = cycles.filter((cycle) => cycle.kind === kind);
    const times = ofKind.map((cycle) => cycle.recoveryMs);
    const worstOfKind = times.includes(undefined) ? 'never' : seconds(Math.max(0, ...times));
    return `${kind} ×${ofKind.length} (worst ${ofKind.length ? worstOfKind : '-'})`;
  });
  const idleCycles = cycles.filter((cycle) => cycle.idle.length > 0);

  console.log(`\nfault soak: ${cycles.length} cycles in ${seconds(Date.now() - started)}: ${byKind.join(', ')}`);
  console.log(
    `runs: ${summary.runs} started by the client, ${summary.started} recorded, ${summary.completed} completed, ${summary.failed} failed, ${lost} lost (not finished), ${summary.notStarted} never recorded`,
  );
  console.log(
    `effects: ${summary.duplicatedEffects} duplicated, ${summary.missingEffects} missing; steps completed twice: ${summary.repeatedSteps}`,
  );
  console.log(
    `subscribers: ${summary.subscribersFinished}/${summary.subscribers} reached execution.completed, ${summary.resubscribes} resubscriptions`,
  );
  console.log(
    `worst recovery (fault end → every run then in flight finished): ${worst ? `${seconds(worst.recoveryMs)} after cycle ${worst.n} (${worst.kind})` : '-'}`,
  );
  console.log(
    `processes that died unexpectedly: ${deaths.length}${deaths.map((exit) => `\n  cycle ${exit.cycle} (${exit.kind}): ${exit.name} ${exit.signal ?? `code ${exit.code}`}: ${cause(exit)}`).join('')}`,
  );
  console.log(
    `cycles after which a live worker took no runs: ${idleCycles.length}${idleCycles.map((cycle) => ` ${cycle.n} (${cycle.kind}: ${cycle.idle.join(', ')})`).join(',')}`,
  );
  if (problems.length) console.log(`problems:\n- ${problems.join('\n- ')}`);
  failed = problems.length > 0 || deaths.length > 0 || idleCycles.length > 0 || cycles.some((cycle) => cycle.recoveryMs === undefined);
} catch (error) {
  failed = true;
  console.error(`fault soak failed: ${error.stack ?? error}`);
  if (cluster) console.error(cluster.diagnostics());
} finally {
  await cleanup();
  if (failed && cluster) console.log(`logs kept in ${cluster.dir}`);
}
process.exit(failed ? 1 : 0);
