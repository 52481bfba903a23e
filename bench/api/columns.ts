import pg from 'pg';
import { cursorTime, summaryColumnsOf, toExecutionSummary, type ExecutionSummaryRow } from '../../src/engine/store/read-rows.js';
import { FAST_TIMESTAMP_TYPES } from '../../src/infra/pg-timestamps.js';
import { benchPostgres } from '../lib/postgres.js';
import { fmt, median } from '../lib/stats.js';
import { graphql, loginAdmin, startSwitchyardProcess } from './switchyard-process.js';

/**
 * `node dist/bench/api/columns.js` (after `npm run bench:build`; `ROWS`, `BLOCKS`): what reading only
 * the selected columns saves the API's pg driver on an executions page. The page's statement with
 * every summary column, with the benchmark list's and with the console table's, run by one client as
 * the server runs it (named, the server's type parsers, each row mapped), in interleaved blocks; it
 * prints this process's CPU per page. In-process CPU time, so it holds on a loaded host.
 */
const ROWS = Number(process.env['ROWS'] ?? 21);
const BLOCKS = Number(process.env['BLOCKS'] ?? 12);
const PER_BLOCK = 400;
const WARMUP_BLOCKS = 2;

const VARIANTS = {
  all: summaryColumnsOf('all'),
  list: summaryColumnsOf(new Set(['status', 'createdAt', 'workflowId'])),
  console: summaryColumnsOf(
    new Set(['status', 'createdAt', 'startedAt', 'completedAt', 'workflowVersion', 'workflowId', 'triggerType', 'triggerSource', 'error']),
  ),
} as const;

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const databaseUrl = await postgres.database('switchyard_bench_columns');
  // The server migrates the database and makes the tenant and a workflow; then it is not needed.
  const server = await startSwitchyardProcess({ databaseUrl });
  const { token, tenantId } = await loginAdmin(server);
  const { createWorkflow } = await graphql<{ createWorkflow: { id: string } }>(
    server,
    token,
    'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }',
    { input: { name: 'bench_columns', definition: { steps: [{ name: 'only', type: 'transform', output: { i: 1 } }] } } },
  );
  await server.stop();
  const pool = new pg.Pool({ connectionString: databaseUrl, types: FAST_TIMESTAMP_TYPES, max: 1 });
  try {
    await pool.query(
      `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, created_at, started_at, completed_at, updated_at, last_event_seq)
       select gen_random_uuid(), $1, $2, 1, 'completed', '{}', now() - make_interval(secs => i), now() - make_interval(secs => i),
              now(), now(), 5
       from generate_series(1, 10000) as i`,
      [tenantId, createWorkflow.id],
    );
    const cpuPerPage = new Map<string, number[]>();
    for (let block = 0; block < BLOCKS; block += 1) {
      for (const [name, columns] of Object.entries(VARIANTS)) {
        const text = `select ${columns}, ${cursorTime('e.created_at')} as cursor_at from executions e
                      where e.tenant_id = $1 order by e.created_at desc, e.id desc limit $2`;
        const start = process.cpuUsage();
        for (let i = 0; i < PER_BLOCK; i += 1) {
          const { rows } = await pool.query<ExecutionSummaryRow>({ name: `bench_columns_${name}`, text, values: [tenantId, ROWS] });
          rows.map(toExecutionSummary);
        }
        const used = process.cpuUsage(start);
        if (block >= WARMUP_BLOCKS) cpuPerPage.set(name, [...(cpuPerPage.get(name) ?? []), (used.user + used.system) / PER_BLOCK]);
      }
    }
    console.log(`\nbench:api columns — ${postgres.describe}; pages of ${ROWS} rows, ${BLOCKS - WARMUP_BLOCKS} blocks of ${PER_BLOCK}`);
    for (const [name, values] of cpuPerPage) {
      console.log(
        `  ${name.padEnd(8)} ${fmt(median(values), 1)} µs CPU/page (${fmt(Math.min(...values), 1)}–${fmt(Math.max(...values), 1)})`,
      );
    }
  } finally {
    await pool.end();
    await postgres.stop();
  }
}

await main();
