import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRedisServer } from '../../src/infra/local-redis.js';
import { graphql, loginAdmin, startSwitchyardProcess, type SwitchyardProcess } from '../api/switchyard-process.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, median } from '../lib/stats.js';
import { installProbe, timeSpent, type MainThreadTime, type PageProbe, type RequestSpan } from './page-probe.js';

/**
 * `npm run bench:console` (after `npm run build`): the console's run page in headless Chromium
 * (Debian's, /usr/bin/chromium) against a Switchyard server in its own process (api, worker and
 * scheduler), ROUNDS times each, a fresh browser context every round:
 *
 * - **open**: a finished run of STEPS transform steps, from navigation to its last step drawn
 *   completed and its whole event log drawn;
 * - **live**: a run of STEPS steps parked on a wait before them, the page open and live; then the
 *   event that releases it — every step's events stream in — until the last step and the run's
 *   last event are drawn. Main-thread time and long tasks say what the page spent following it.
 *
 * Times are the page's own (performance.now at the DOM commit that first showed it, and the frame
 * after). PROFILE=<dir> writes a CPU profile of each phase's first round (open in Chrome DevTools);
 * PHASES=open (or live) runs one phase. The host's load average is printed beside each phase: on a
 * shared machine compare the main thread's CPU time, which waiting for a CPU does not inflate.
 *
 * BASELINE=<dir>: another build (a directory with its package.json and dist/, e.g. a copy of main's
 * before a change) is served too, by a second server (api role) on the same database, and each phase's
 * rounds alternate between the two (this, baseline; baseline, this; …): a paired comparison under the
 * same load. Both servers share one Redis (REDIS_URL, else a throwaway redis-server), as API nodes do in
 * production: the baseline hears the runs of this server's worker through it, as promptly as this
 * server does (without it, only by re-reading the log every few seconds).
 */
const STEPS = Number(process.env['STEPS'] ?? 60);
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const PROFILE = process.env['PROFILE'];
/** Which phases to run: `open`, `live` or both (comma-separated). */
const hostLoad = () => loadavg()[0] ?? Number.NaN;
const PHASES = new Set((process.env['PHASES'] ?? 'open,live').split(','));
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const BASELINE = process.env['BASELINE'];
const TIMEOUT_MS = 120_000;
const IDLE_MS = 2_000;

const steps = Array.from({ length: STEPS }, (_, i) => ({ name: `step_${i + 1}`, type: 'transform', output: { n: i + 1 } }));
const FINISHED = { name: 'bench_long', definition: { steps } };
const GATED = {
  name: 'bench_long_gated',
  definition: {
    input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    steps: [
      { name: 'gate', type: 'wait', event: { name: 'bench.gate', match: 'event.token = context.token', timeoutSeconds: 3600 } },
      ...steps,
    ],
  },
};

const lastStepDone = `[data-step="step_${STEPS}"][data-status="COMPLETED"]`;
const logEntry = (sequence: number) => `.event-log > li[data-sequence="${sequence}"]`;

interface Round {
  /** Navigation (open) or the releasing event (live) → the last step drawn completed. */
  stepsMs: number;
  /** … → the whole event log drawn. */
  logMs: number;
  /** Live: the whole log drawn, after the run completed on the server. */
  behindMs?: number;
  /** The page's main thread (CPU time): open, since the document began; live, from the release. */
  main: MainThreadTime;
  /** DOM changes: batches (about one per React commit) and records. */
  commits: number;
  mutations: number;
  longTasks: number;
  longTasksMs: number;
  longestTaskMs: number;
  /** Open: the requests of the run page's document, from navigation until it was drawn. */
  requests?: RequestSpan[];
  /** Live: the `executionProgress` messages received from the release on, and their bytes in all. */
  progress?: { messages: number; bytes: number };
}

type Api = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

async function startRun(api: Api, name: string, context: Record<string, unknown>): Promise<string> {
  const started = await api<{ executeWorkflow: { execution: { id: string } } }>(
    'mutation($name: String!, $context: JSONObject!) { executeWorkflow(name: $name, context: $context) { execution { id } } }',
    { name, context },
  );
  return started.executeWorkflow.execution.id;
}

async function runState(api: Api, id: string): Promise<{ status: string; lastSequence: number; completedAt: string | null }> {
  return (
    await api<{ execution: { status: string; lastSequence: number; completedAt: string | null } }>(
      'query($id: ID!) { execution(id: $id) { status lastSequence completedAt } }',
      { id },
    )
  ).execution;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signedInPage(
  browser: Browser,
  server: SwitchyardProcess,
  selectors: string[],
): Promise<{ page: Page; probe: PageProbe; progressSizes: number[]; close(): Promise<void> }> {
  const context = await browser.newContext({ baseURL: new URL(server.url).origin, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  // Each run event's websocket message, by its size: the socket opens on the first page after sign-in.
  const progressSizes: number[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      if (text.includes('"executionProgress"')) progressSizes.push(Buffer.byteLength(text));
    }),
  );
  const probe = await installProbe(page, selectors);
  await page.goto('/sign-in');
  // Within the form: the tab panel around it is labelled by its tab, "E-mail and password".
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(server.adminEmail);
  await form.getByLabel('Password').fill(server.adminPassword);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Executions' }).waitFor();
  return { page, probe, progressSizes, close: () => context.close() };
}

async function saveProfile(name: string, profile: unknown): Promise<void> {
  if (!PROFILE) return;
  const file = path.join(PROFILE, `console-${name}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  console.log(`  CPU profile: ${file}`);
}

async function tasksSince(probe: PageProbe, since: number): Promise<Pick<Round, 'longTasks' | 'longTasksMs' | 'longestTaskMs'>> {
  const tasks = await probe.longTasks(since);
  const durations = tasks.map((task) => task.duration);
  return { longTasks: tasks.length, longTasksMs: durations.reduce((sum, ms) => sum + ms, 0), longestTaskMs: Math.max(0, ...durations) };
}

/** A server to measure: this build, or the baseline's. */
interface Build {
  name: string;
  server: SwitchyardProcess;
}

async function openRound(browser: Browser, { name, server }: Build, id: string, lastSequence: number, round: number): Promise<Round> {
  const watched = [lastStepDone, logEntry(lastSequence)];
  const { page, probe, close } = await signedInPage(browser, server, watched);
  try {
    const profiling = PROFILE !== undefined && round === 0;
    if (profiling) await probe.startProfile();
    await page.goto(`/executions/${id}`);
    const [steps, log] = await probe.drawn(watched, TIMEOUT_MS);
    // Chromium's counters start again with the new document: they are the run page's own.
    const main = await probe.metrics();
    const requests = (await probe.requests()).filter((request) => request.start >= 0);
    if (profiling) await saveProfile(`open-${name}`, await probe.stopProfile());
    // A finished run's page, drawn, has nothing left to do: it must not keep drawing.
    const settled = await probe.domChanges();
    await page.waitForTimeout(IDLE_MS);
    const idle = await probe.domChanges();
    if (idle.commits > settled.commits)
      console.warn(`  the page changed its DOM ${idle.commits - settled.commits} times in ${IDLE_MS} ms after it was drawn`);
    return {
      stepsMs: steps?.drawn ?? Number.NaN,
      logMs: log?.drawn ?? Number.NaN,
      main,
      requests,
      ...(await probe.domChanges()),
      ...(await tasksSince(probe, 0)),
    };
  } finally {
    await close();
  }
}

async function liveRound(browser: Browser, { name, server }: Build, api: Api, round: number): Promise<Round> {
  const token = `round-${round}-${Date.now()}`;
  const id = await startRun(api, GATED.name, { token });
  await until(
    'the run to park on its gate',
    () => runState(api, id),
    (state) => state.status === 'WAITING',
  );
  const { page, probe, progressSizes, close } = await signedInPage(browser, server, []);
  try {
    await page.goto(`/executions/${id}`);
    await page.getByText('● live').waitFor();
    const sizesBefore = progressSizes.length;
    const profiling = PROFILE !== undefined && round === 0;
    if (profiling) await probe.startProfile();
    const before = await probe.metrics();
    const changesBefore = await probe.domChanges();
    // The run's last event: what it has so far, and per step started + completed, then execution.completed
    // (checked against the server below).
    const parkedAt = (await runState(api, id)).lastSequence;
    const expectedLast = parkedAt + 2 + 2 * STEPS + 1;
    const watched = [lastStepDone, logEntry(expectedLast)];
    await probe.watch(watched);
    const released = await probe.now();
    await api('mutation($payload: JSONObject!) { publishEvent(name: "bench.gate", payload: $payload) { event { id } } }', {
      payload: { token },
    });
    const [steps, log] = await probe.drawn(watched, TIMEOUT_MS);
    const after = await probe.metrics();
    const changesAfter = await probe.domChanges();
    if (profiling) await saveProfile(`live-${name}`, await probe.stopProfile());
    const finished = await runState(api, id);
    if (finished.status !== 'COMPLETED' || finished.lastSequence !== expectedLast)
      throw new Error(`the live run ended ${finished.status} at event ${finished.lastSequence}, not COMPLETED at ${expectedLast}`);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    return {
      stepsMs: (steps?.drawn ?? Number.NaN) - released,
      logMs: (log?.drawn ?? Number.NaN) - released,
      behindMs: timeOrigin + (log?.drawn ?? Number.NaN) - Date.parse(finished.completedAt ?? ''),
      main: timeSpent(before, after),
      commits: changesAfter.commits - changesBefore.commits,
      mutations: changesAfter.mutations - changesBefore.mutations,
      progress: {
        messages: progressSizes.length - sizesBefore,
        bytes: progressSizes.slice(sizesBefore).reduce((sum, size) => sum + size, 0),
      },
      ...(await tasksSince(probe, released)),
    };
  } finally {
    await close();
  }
}

/** The waterfall: each request (the nth of its name) with its median start and end after navigation. */
function waterfall(rounds: Round[]): string[] {
  const spans = new Map<string, RequestSpan[]>();
  for (const round of rounds) {
    const seen = new Map<string, number>();
    for (const request of [...(round.requests ?? [])].sort((a, b) => a.start - b.start)) {
      const nth = (seen.get(request.what) ?? 0) + 1;
      seen.set(request.what, nth);
      const key = nth === 1 ? request.what : `${request.what} #${nth}`;
      spans.set(key, [...(spans.get(key) ?? []), request]);
    }
  }
  return [...spans]
    .map(([what, list]) => ({ what, start: median(list.map((span) => span.start)), end: median(list.map((span) => span.end)) }))
    .sort((a, b) => a.start - b.start)
    .map(({ what, start, end }) => `${what} ${fmt(start, 0)}→${fmt(end, 0)}`);
}

function report(name: string, rounds: Round[]): void {
  const line = (label: string, values: number[]) =>
    `${label} ${fmt(median(values), 0)} ms (${fmt(Math.min(...values), 0)}–${fmt(Math.max(...values), 0)})`;
  console.log(`${name}, median of ${rounds.length} (range):`);
  console.log(
    `  ${line(
      'last step drawn',
      rounds.map((round) => round.stepsMs),
    )}; ${line(
      'whole event log drawn',
      rounds.map((round) => round.logMs),
    )}`,
  );
  const requests = waterfall(rounds);
  if (requests.length) console.log(`  requests (median ms after navigation, start→end): ${requests.join(', ')}`);
  const progress = rounds.flatMap((round) => (round.progress?.messages ? [round.progress] : []));
  if (progress.length)
    console.log(
      `  live events received: ${fmt(median(progress.map((p) => p.messages)), 0)} a round, ${fmt(
        median(progress.map((p) => p.bytes / p.messages)),
        0,
      )} bytes each (median; ${fmt(median(progress.map((p) => p.bytes)) / 1024, 0)} KB a round)`,
    );
  const behind = rounds.flatMap((round) => (round.behindMs === undefined ? [] : [round.behindMs]));
  if (behind.length) console.log(`  ${line('the log drawn after the run completed on the server:', behind)}`);
  const main = rounds.map((round) => round.main);
  console.log(
    `  main thread (CPU): ${line(
      'busy',
      main.map((time) => time.taskMs),
    )}, of which ${line(
      'script',
      main.map((time) => time.scriptMs),
    )}, ${line(
      'layout',
      main.map((time) => time.layoutMs),
    )}, ${line(
      'style',
      main.map((time) => time.styleMs),
    )}`,
  );
  console.log(
    `  DOM: ${fmt(median(rounds.map((round) => round.commits)), 0)} commits, ${fmt(median(rounds.map((round) => round.mutations)), 0)} changes (medians)`,
  );
  console.log(
    `  long tasks (> 50 ms): ${fmt(median(rounds.map((round) => round.longTasks)), 0)}, ${line(
      'in all',
      rounds.map((round) => round.longTasksMs),
    )}, ${line(
      'longest',
      rounds.map((round) => round.longestTaskMs),
    )}`,
  );
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const databaseUrl = await postgres.database('switchyard_bench_console');
  const redis = process.env['REDIS_URL'] ? undefined : await startRedisServer();
  const redisUrl = process.env['REDIS_URL'] ?? redis?.url ?? '';
  const server = await startSwitchyardProcess({ databaseUrl, redisUrl, env: { SWITCHYARD_ROLES: 'api,worker,scheduler' } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  try {
    const { token } = await loginAdmin(server);
    const api: Api = (query, variables) => graphql(server, token, query, variables);
    for (const workflow of [FINISHED, GATED])
      await api('mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }', { input: workflow });
    const id = await startRun(api, FINISHED.name, {});
    const finished = await until(
      'the run of the open phase to complete',
      () => runState(api, id),
      (state) => state.status === 'COMPLETED',
    );
    console.log(
      `bench:console — the run page, ${STEPS} steps; ${postgres.describe}; ${redis ? 'a throwaway redis-server' : 'REDIS_URL'} between the servers; Chromium ${browser.version()}, 1280×800`,
    );

    const builds: Build[] = [{ name: 'this build', server }];
    if (BASELINE)
      builds.push({
        name: 'baseline',
        server: await startSwitchyardProcess({
          databaseUrl,
          redisUrl,
          root: BASELINE,
          env: { SWITCHYARD_ROLES: 'api', SWITCHYARD_ADMIN_PASSWORD: server.adminPassword },
        }),
      });
    const phase = async (title: string, measure: (build: Build, round: number) => Promise<Round>) => {
      const rounds = new Map(builds.map((build) => [build.name, { rounds: [] as Round[], loads: [] as number[] }]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
          const kept = rounds.get(build.name);
          kept?.loads.push(hostLoad());
          kept?.rounds.push(await measure(build, round));
        }
      }
      for (const [name, { rounds: measured, loads }] of rounds) {
        report(
          `${title}${builds.length > 1 ? ` — ${name}` : ''}; host load ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)}`,
          measured,
        );
      }
    };
    try {
      if (PHASES.has('open'))
        await phase(`open a finished run (${finished.lastSequence} events)`, (build, round) =>
          openRound(browser, build, id, finished.lastSequence, round),
        );
      if (PHASES.has('live'))
        await phase(`follow a run live, from the event that releases its ${STEPS} steps`, (build, round) =>
          liveRound(browser, build, api, round),
        );
    } finally {
      await Promise.all(builds.slice(1).map((build) => build.server.stop()));
    }
  } finally {
    await browser.close();
    await server.stop();
    await redis?.stop();
    await postgres.stop();
  }
}

await main();
