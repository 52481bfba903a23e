import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuMeter } from '../lib/process-cpu.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, percentile } from '../lib/stats.js';
import { graphql, loginAdmin, startSwitchyardProcess } from './switchyard-process.js';

/**
 * `npm run bench:api`: the executions list (20 executions with their status and workflow name) over
 * HTTP, CONNECTIONS keep-alive connections each sending its next request as soon as the previous one
 * is answered, against a Switchyard server in its own process with authentication (a user's JWT),
 * tenant confinement and DataLoaders; then the same against the least a GraphQL server can be
 * (minimal-server.ts), as the reference the figures are read against. Requests/s, latency, server CPU.
 */
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 50);
const SECONDS = Number(process.env['SECONDS'] ?? 15);
const WARMUP_SECONDS = Number(process.env['WARMUP_SECONDS'] ?? 3);
const EXECUTIONS = Number(process.env['EXECUTIONS'] ?? 10_000);
const WORKFLOWS = 5;

const LIST_QUERY = 'query ExecutionList($first: Int!) { executions(first: $first) { nodes { id status createdAt workflow { name } } pageInfo { hasNextPage endCursor } } }';

async function seed(databaseUrl: string, tenantId: string, workflowIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Runs of every status over the last day, spread across the workflows.
    await client.query(
      `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, created_at, started_at, completed_at, updated_at, last_event_seq)
       select gen_random_uuid(), $1, ($2::uuid[])[1 + i % array_length($2::uuid[], 1)], 1,
              (array['completed', 'completed', 'completed', 'failed', 'running', 'waiting', 'cancelled'])[1 + i % 7],
              jsonb_build_object('customer', 'c-' || i, 'region', case when i % 2 = 0 then 'north' else 'south' end),
              now() - make_interval(secs => i * 8.64), now() - make_interval(secs => i * 8.64 - 1),
              case when i % 7 in (4, 5) then null else now() - make_interval(secs => i * 8.64 - 3) end, now(), 5
       from generate_series(1, $3::int) as i`,
      [tenantId, workflowIds, EXECUTIONS],
    );
    await client.query('analyze executions');
  } finally {
    await client.end();
  }
}

interface Load {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** Closed loop: each connection sends the next request when the previous answer is in. */
async function load(url: URL, token: string | undefined, seconds: number): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const body = JSON.stringify({ query: LIST_QUERY, variables: { first: 20 } });
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const latencies: number[] = [];
  let errors = 0;
  let checked = 0;
  const request = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          const text = Buffer.concat(chunks).toString();
          // Every answer is checked cheaply, one in a hundred in full.
          let good = res.statusCode === 200 && !text.includes('"errors"');
          if (good && checked++ % 100 === 0) {
            const parsed = JSON.parse(text) as { data?: { executions?: { nodes?: Array<{ workflow?: { name?: string } }> } } };
            good = parsed.data?.executions?.nodes?.length === 20 && parsed.data.executions.nodes.every((node) => typeof node.workflow?.name === 'string');
          }
          if (!good) errors += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) await request();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, errors, seconds: elapsed };
}

interface Measured {
  requests: number;
  errors: number;
  perSecond: number;
  sorted: number[];
  cpuMsPerSecond: number;
  cpuUsPerRequest: number;
}

async function measure(url: URL, token: string | undefined, cpuMs: () => Promise<number>): Promise<Measured> {
  await load(url, token, WARMUP_SECONDS);
  await cpuMs();
  const result = await load(url, token, SECONDS);
  const cpu = await cpuMs();
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors: result.errors,
    perSecond: sorted.length / result.seconds,
    sorted,
    cpuMsPerSecond: cpu / result.seconds,
    cpuUsPerRequest: (cpu * 1000) / sorted.length,
  };
}

function report(name: string, measured: Measured, withTargets: boolean): void {
  const { sorted } = measured;
  console.log(`\n${name}`);
  console.log(`  requests      ${measured.requests} (${measured.errors} failed)`);
  console.log(`  requests/s    ${fmt(measured.perSecond, 0)}${withTargets ? '   (target ≥ 3000)' : ''}`);
  console.log(
    `  latency ms    p50 ${fmt(percentile(sorted, 50), 2)}   p90 ${fmt(percentile(sorted, 90), 2)}   p99 ${fmt(percentile(sorted, 99), 2)}${withTargets ? ' (target ≤ 25)' : ''}   max ${fmt(sorted.at(-1) ?? Number.NaN, 2)}`,
  );
  console.log(`  server CPU    ${fmt(measured.cpuMsPerSecond / 1000, 2)} cores, ${fmt(measured.cpuUsPerRequest, 0)} µs per request`);
}

/** bench/api/minimal-server.ts in a process of its own. */
async function startMinimalServer(databaseUrl: string, tenantId: string): Promise<{ url: URL; cpuMs: () => Promise<number>; stop(): void }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./minimal-server.js', import.meta.url))], {
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

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const databaseUrl = await postgres.database('switchyard_bench_api');
  const server = await startSwitchyardProcess({ databaseUrl });
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

    console.log(`\nbench:api — ${postgres.describe}; ${EXECUTIONS} executions of ${WORKFLOWS} workflows`);
    console.log(`executions(first: 20) { nodes { id status createdAt workflow { name } } }, ${CONNECTIONS} keep-alive connections, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up`);
    const switchyard = await measure(new URL(server.url), token, server.cpuMs);
    report('Switchyard (own process, api role; a user\'s JWT, tenant-confined, DataLoaders)', switchyard, true);

    const minimal = await startMinimalServer(databaseUrl, tenantId);
    try {
      const reference = await measure(minimal.url, undefined, minimal.cpuMs);
      report('minimal graphql-js server (same rows; no auth, limits, tenant scope or Apollo)', reference, false);
      console.log(`\nSwitchyard ÷ minimal server: ${fmt(switchyard.perSecond / reference.perSecond, 2)} of its requests/s`);
    } finally {
      minimal.stop();
    }
    if (switchyard.errors > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    await postgres.stop();
  }
}

await main();
