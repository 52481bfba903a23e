import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuMeter } from '../lib/process-cpu.js';
import { benchPostgres } from '../lib/postgres.js';
import { postgresMeter } from '../lib/postgres-meter.js';
import { fmt, median } from '../lib/stats.js';
import { measure, type Measured, type Target } from './load.js';
import { BENCH_QUERIES, type BenchQuery } from './queries.js';
import { graphql, loginAdmin, startSwitchyardProcess } from './switchyard-process.js';

/**
 * `npm run bench:api`: executions lists (bench/api/queries.ts) over HTTP, CONNECTIONS keep-alive
 * connections in a closed loop, against a Switchyard server in its own process with every guard on
 * (a user's JWT, tenant confinement, permissions, query limits, rate limiting, DataLoaders, error
 * masking), and against the least a GraphQL server can be (minimal-server.ts) reading the same rows —
 * the reference the figures are read against. This host is shared and noisy, so the two are
 * interleaved, ROUNDS times each, in alternating order, and the medians (and spread) are compared.
 * API_QUERIES=list,console picks the documents.
 *
 * BASELINE=<dir>: another build (a directory with its package.json and dist/, e.g. main's before a change)
 * is served too, by a second server on the same database, and its rounds are interleaved with the other
 * two: a paired comparison of the two builds' CPU per request under the same load (the host's load average
 * is printed beside each).
 */
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 50);
const SECONDS = Number(process.env['SECONDS'] ?? 15);
const WARMUP_SECONDS = Number(process.env['WARMUP_SECONDS'] ?? 3);
const EXECUTIONS = Number(process.env['EXECUTIONS'] ?? 10_000);
const WORKFLOWS = 5;

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const BASELINE = process.env['BASELINE'];
const QUERIES = (process.env['API_QUERIES'] ?? 'list,console').split(',').map((name) => {
  const query = BENCH_QUERIES[name.trim() as BenchQuery['name']];
  if (!query) throw new Error(`API_QUERIES: one or more of ${Object.keys(BENCH_QUERIES).join(', ')}`);
  return query;
});

async function seed(databaseUrl: string, tenantId: string, workflowIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Runs of every status over the last day, spread across the workflows.
    await client.query(
      `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, created_at, started_at, completed_at, updated_at, last_event_seq, error)
       select gen_random_uuid(), $1, ($2::uuid[])[1 + i % array_length($2::uuid[], 1)], 1,
              (array['completed', 'completed', 'completed', 'failed', 'running', 'waiting', 'cancelled'])[1 + i % 7],
              jsonb_build_object('customer', 'c-' || i, 'region', case when i % 2 = 0 then 'north' else 'south' end),
              now() - make_interval(secs => i * 8.64), now() - make_interval(secs => i * 8.64 - 1),
              case when i % 7 in (4, 5) then null else now() - make_interval(secs => i * 8.64 - 3) end, now(), 5,
              case when i % 7 = 3 then '{"code": "TIMEOUT", "message": "no answer within 30 s", "retryable": false}'::jsonb end
       from generate_series(1, $3::int) as i`,
      [tenantId, workflowIds, EXECUTIONS],
    );
    await client.query('analyze executions');
  } finally {
    await client.end();
  }
}

/** bench/api/minimal-server.ts in a process of its own. */
async function startMinimalServer(
  databaseUrl: string,
  tenantId: string,
): Promise<{ url: URL; cpuMs: () => Promise<number>; stop(): void }> {
  // e.g. MINIMAL_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it beside the server (SERVER_NODE_ARGS).
  const nodeArgs = (process.env['MINIMAL_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(new URL('./minimal-server.js', import.meta.url))], {
    env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: databaseUrl, TENANT_ID: tenantId },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the minimal server exited with ${code}`)));
  });
  const cpuMs = cpuMeter(child.pid ?? 0);
  await cpuMs();
  return { url: new URL(`http://127.0.0.1:${port}/graphql`), cpuMs, stop: () => child.kill('SIGTERM') };
}

const spread = (values: number[], digits: number) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;

type TargetName = 'switchyard' | 'baseline' | 'minimal';
const LABELS: Record<TargetName, string> = { switchyard: 'Switchyard', baseline: 'baseline', minimal: 'minimal' };

function summary(name: string, rounds: Measured[], loads: number[]): void {
  const of = (pick: (m: Measured) => number) => rounds.map(pick);
  const errors = rounds.reduce((total, m) => total + m.errors, 0);
  console.log(
    `  ${name.padEnd(11)} ${fmt(median(of((m) => m.perSecond)), 0).padStart(6)} requests/s (${spread(
      of((m) => m.perSecond),
      0,
    )})   ` +
      `p50 ${fmt(median(of((m) => m.p50)), 1)} ms   p99 ${fmt(median(of((m) => m.p99)), 1)} ms (${spread(
        of((m) => m.p99),
        1,
      )})   ` +
      `CPU ${fmt(median(of((m) => m.cpuUsPerRequest)), 0)} µs/request, ${fmt(median(of((m) => m.cpuCores)), 2)} cores   ` +
      `PostgreSQL ${fmt(median(of((m) => m.databaseCpuUsPerRequest)), 0)} µs/request, ${fmt(median(of((m) => m.transactionsPerRequest)), 2)} transactions/request` +
      `   host load ${spread(loads, 1)}${errors > 0 ? `   ${errors} FAILED` : ''}`,
  );
}

/** This build's CPU per request and requests/s over the baseline's, round by round (they ran side by side). */
function versusBaseline(ours: Measured[], baseline: Measured[]): string {
  const pairs = ours.map((m, round) => [m, baseline[round]!] as const);
  const cpu = pairs.map(([m, b]) => m.cpuUsPerRequest / b.cpuUsPerRequest);
  const rate = pairs.map(([m, b]) => m.perSecond / b.perSecond);
  return `  vs baseline: CPU per request ×${fmt(median(cpu), 3)} (${spread(cpu, 3)}), requests/s ×${fmt(median(rate), 3)} (${spread(rate, 3)}), median of ${pairs.length} pairs`;
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const databaseUrl = await postgres.database('switchyard_bench_api');
  const server = await startSwitchyardProcess({ databaseUrl });
  let baseline: Awaited<ReturnType<typeof startSwitchyardProcess>> | undefined;
  let minimal: Awaited<ReturnType<typeof startMinimalServer>> | undefined;
  const database = postgresMeter(databaseUrl);
  try {
    const { token, tenantId } = await loginAdmin(server);
    const workflowIds: string[] = [];
    for (let i = 0; i < WORKFLOWS; i += 1) {
      const created = await graphql<{ createWorkflow: { id: string } }>(
        server,
        token,
        'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }',
        { input: { name: `bench_workflow_${i}`, definition: { steps: [{ name: 'only', type: 'transform', output: { i } }] } } },
      );
      workflowIds.push(created.createWorkflow.id);
    }
    await seed(databaseUrl, tenantId, workflowIds);
    minimal = await startMinimalServer(databaseUrl, tenantId);
    // The baseline's admin signs in with the first server's password, and gets a token of its own signing.
    baseline = BASELINE
      ? await startSwitchyardProcess({ databaseUrl, root: BASELINE, env: { SWITCHYARD_ADMIN_PASSWORD: server.adminPassword } })
      : undefined;
    const targets = new Map<TargetName, Target>([['switchyard', { url: new URL(server.url), token, cpuMs: server.cpuMs }]]);
    if (baseline) targets.set('baseline', { url: new URL(baseline.url), token: (await loginAdmin(baseline)).token, cpuMs: baseline.cpuMs });
    targets.set('minimal', { url: minimal.url, cpuMs: minimal.cpuMs });

    console.log(`\nbench:api — ${postgres.describe}; ${EXECUTIONS} executions of ${WORKFLOWS} workflows`);
    console.log(
      `${CONNECTIONS} keep-alive connections; ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; ${ROUNDS} rounds per server, interleaved`,
    );
    console.log(
      "Switchyard: its own process, api role, every guard on (a user's JWT, tenant scope, permissions, query limits, rate limit, DataLoaders, error masking)",
    );
    console.log('minimal:    graphql-js on node:http, the document parsed once, the same rows (bench/api/minimal-server.ts)');
    if (BASELINE) console.log(`baseline:   Switchyard as built in ${BASELINE}, the same guards`);
    let failed = false;
    const lines: string[] = [];
    for (const query of QUERIES) {
      const rounds = new Map([...targets.keys()].map((name) => [name, { measured: [] as Measured[], loads: [] as number[] }]));
      for (let round = 0; round < ROUNDS; round += 1) {
        // Alternating order: drift in the host's load weighs on all alike.
        const order = round % 2 === 0 ? [...targets] : [...targets].reverse();
        for (const [name, target] of order) {
          rounds.get(name)?.loads.push(loadavg()[0] ?? Number.NaN);
          rounds
            .get(name)
            ?.measured.push(
              await measure(target, query, { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, database }),
            );
        }
      }
      console.log(`\n${query.name}: ${query.describe} — medians of ${ROUNDS} rounds (min–max)`);
      for (const [name, { measured, loads }] of rounds) summary(LABELS[name], measured, loads);
      const measuredOf = (name: TargetName) => rounds.get(name)?.measured ?? [];
      if (baseline) console.log(versusBaseline(measuredOf('switchyard'), measuredOf('baseline')));
      failed ||= (['switchyard', 'baseline'] as const).some((name) => measuredOf(name).some((m) => m.errors > 0));
      const ratio = median(measuredOf('switchyard').map((m) => m.perSecond)) / median(measuredOf('minimal').map((m) => m.perSecond));
      const p99s = [median(measuredOf('switchyard').map((m) => m.p99)), median(measuredOf('minimal').map((m) => m.p99))] as const;
      const label = query.name === 'list' ? 'ratio vs minimal:' : `ratio vs minimal, ${query.name} query:`;
      // The list's line (the issue's figure) comes last.
      lines[query.name === 'list' ? 'push' : 'unshift'](
        `${label} ${fmt(ratio, 2)} of its requests/s (target ≥ 0.9); p99 ${fmt(p99s[0], 1)} ms vs ${fmt(p99s[1], 1)} ms = ${fmt(p99s[0] / p99s[1], 2)}× (target ≤ 1.5)`,
      );
    }
    console.log('');
    for (const line of lines) console.log(line);
    if (failed) process.exitCode = 1;
  } finally {
    await database.close();
    minimal?.stop();
    await baseline?.stop();
    await server.stop();
    await postgres.stop();
  }
}

await main();
