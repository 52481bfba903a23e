import { readFile } from 'node:fs/promises';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Issue 14's metrics: GET /metrics in the Prometheus text format, where it is served and what it counts. */
describe('metrics', () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startTestServer({ databaseUrl: database.url, env });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database?.drop();
  });

  const scrape = async (base: string, headers: Record<string, string> = {}) => {
    const response = await fetch(new URL('/metrics', base), { headers });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  /** The value of one sample, e.g. `switchyard_executions_finished_total{workflow="x",status="completed"}`. */
  const sample = (text: string, name: string, labels: string) => {
    const line = text.split('\n').find((each) => each.startsWith(`${name}{${labels}}`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('counts runs, steps, retries and checkpoints by workflow, with the process defaults, outside production without a token', async () => {
    const server = await start();
    const tenantId = server.adminTenantId;
    await server.engine.workflows.save({
      tenantId,
      name: 'metered',
      definition: {
        steps: [
          { name: 'shape', type: 'transform', output: { a: 1 } },
          { name: 'check', type: 'condition', expression: 'context.ok = true', onFalse: 'fail' },
        ],
      },
    });
    const ok = await server.engine.start({ tenantId, workflow: 'metered', context: { ok: true } });
    const failing = await server.engine.start({ tenantId, workflow: 'metered', context: { ok: false } });
    const ended = async () =>
      (await server.engine.reads(tenantId).executionsByIds([ok.executionId, failing.executionId])).map((each) => each.status).sort();
    expect(await eventually('both runs ended', ended, (statuses) => statuses.join() === 'completed,failed')).toBeDefined();

    // The worker counts a run's end just after the end commits, which the read above may see first.
    const { status, type, text } = await eventually(
      'both ends counted',
      () => scrape(server.url),
      (scraped) =>
        ['completed', 'failed'].every(
          (end) => sample(scraped.text, 'switchyard_executions_finished_total', `workflow="metered",status="${end}"`) !== undefined,
        ),
    );
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(text, 'switchyard_executions_started_total', 'workflow="metered",trigger="api"')).toBe(2);
    expect(sample(text, 'switchyard_executions_finished_total', 'workflow="metered",status="completed"')).toBe(1);
    expect(sample(text, 'switchyard_executions_finished_total', 'workflow="metered",status="failed"')).toBe(1);
    expect(sample(text, 'switchyard_execution_duration_seconds_count', 'workflow="metered",status="completed"')).toBe(1);
    expect(sample(text, 'switchyard_step_attempts_total', 'workflow="metered",step_type="transform"')).toBe(2);
    expect(sample(text, 'switchyard_step_ends_total', 'workflow="metered",step_type="transform",end="completed",code=""')).toBe(2);
    expect(text).toMatch(/^switchyard_checkpoint_batch_size_count \d+$/m);
    expect(sample(text, 'switchyard_run_schedule_to_start_seconds_count', 'workflow="metered"')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^switchyard_runs\{status="waiting"\} \d+$/m);
    expect(text).toMatch(/^switchyard_runs_ready \d+$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^# TYPE switchyard_outbox_pending gauge$/m);
    expect(text).toMatch(/^# TYPE switchyard_outbox_deliveries_total counter$/m);
    // A domain event delivered by the dispatcher: its lag is observed.
    await server.orm.em
      .fork()
      .transactional((em) => server.engine.events.publish(em, { tenantId, name: 'metrics.pinged', payload: {}, source: 'test' }));
    const dispatched = async () =>
      Number(/^switchyard_event_dispatch_lag_seconds_count (\d+)$/m.exec((await scrape(server.url)).text)?.[1] ?? 0);
    await eventually('the event dispatched', dispatched, (n) => n >= 1);
    // Bounded labels: no execution id anywhere, and no tenant id unless asked for (below).
    expect(text).not.toContain(ok.executionId);
    expect(text).not.toContain(tenantId);
  });

  it('labels the run and step metrics by tenant when METRICS_TENANT_LABELS=true', async () => {
    const server = await start({ METRICS_TENANT_LABELS: 'true' });
    const tenantId = server.adminTenantId;
    await server.engine.workflows.save({
      tenantId,
      name: 'tenanted',
      definition: { steps: [{ name: 'shape', type: 'transform', output: { a: 1 } }] },
    });
    const { executionId } = await server.engine.start({ tenantId, workflow: 'tenanted' });
    await eventually(
      'the run ended',
      async () => (await server.engine.reads(tenantId).executionsByIds([executionId]))[0]?.status,
      (status) => status === 'completed',
    );
    const { text } = await eventually(
      'the end counted',
      () => scrape(server.url),
      (scraped) =>
        sample(scraped.text, 'switchyard_executions_finished_total', `workflow="tenanted",status="completed",tenant="${tenantId}"`) !==
        undefined,
    );
    expect(sample(text, 'switchyard_executions_started_total', `workflow="tenanted",trigger="api",tenant="${tenantId}"`)).toBe(1);
    expect(sample(text, 'switchyard_executions_finished_total', `workflow="tenanted",status="completed",tenant="${tenantId}"`)).toBe(1);
    expect(sample(text, 'switchyard_step_attempts_total', `workflow="tenanted",step_type="transform",tenant="${tenantId}"`)).toBe(1);
    expect(
      sample(text, 'switchyard_step_ends_total', `workflow="tenanted",step_type="transform",end="completed",tenant="${tenantId}",code=""`),
    ).toBe(1);
    expect(text).not.toContain(executionId);
  });

  it('counts GraphQL requests by operation and outcome code, with their latency', async () => {
    const server = await start();
    const post = (query: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { ...server.adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    expect((await post('query WhoAmI { me { id } }')).status).toBe(200);
    await post('query Broken { execution(id: "not-a-uuid") { id } }');
    const { text } = await scrape(server.url);
    expect(sample(text, 'switchyard_graphql_requests_total', 'operation="WhoAmI",type="query",code="OK"')).toBe(1);
    expect(text).toMatch(/^switchyard_graphql_requests_total\{operation="Broken",type="query",code="[A-Z_]+"\} 1$/m);
    expect(text).not.toMatch(/operation="Broken",type="query",code="OK"/);
    expect(sample(text, 'switchyard_graphql_request_duration_seconds_count', 'operation="WhoAmI",type="query"')).toBe(1);
  });

  it('serves every metric the Grafana dashboard (ops/grafana/switchyard.json) queries', async () => {
    const server = await start();
    const dashboard = JSON.parse(await readFile(new URL('../../ops/grafana/switchyard.json', import.meta.url), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const queried = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((target) => target.expr.match(/\b(switchyard|process|nodejs)_[a-z0-9_]+/g) ?? []),
      ),
    );
    const { text } = await scrape(server.url);
    const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
    const missing = [...queried].filter((name) => !served.has(name) && !served.has(name.replace(/_(bucket|sum|count)$/, '')));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThan(15);
    // The gauges read from the database are the same on every process: a sum over processes would multiply them.
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    const databaseWide = exprs.filter((expr) => /\bswitchyard_(runs|runs_ready|outbox_pending)\b/.test(expr));
    expect(databaseWide).toHaveLength(3);
    for (const expr of databaseWide) expect(expr).toMatch(/^max(?: by \(\w+\) )?\(switchyard_\w+\)$/);
  });

  it('asks for the token when METRICS_TOKEN is set', async () => {
    const server = await start({ METRICS_TOKEN: 'a-metrics-token-of-some-length' });
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, { authorization: 'Bearer not-the-token-of-some-length' })).status).toBe(401);
    expect((await scrape(server.url, { authorization: 'Bearer a-metrics-token-of-some-length' })).status).toBe(200);
  });

  it('is served on METRICS_PORT alone when set, and not on the main port; not at all in production without either', async () => {
    const server = await start({ METRICS_PORT: '0' });
    expect(server.metricsPort).toBeGreaterThan(0);
    expect((await scrape(`http://127.0.0.1:${server.metricsPort}`)).status).toBe(200);
    expect((await scrape(server.url)).status).toBe(404);
    const production = await start({ NODE_ENV: 'production' });
    expect(production.metricsPort).toBeUndefined();
    expect((await scrape(production.url)).status).toBe(404);
  });
});
