import { randomBytes } from 'node:crypto';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../bench/lib/otlp-receiver.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';
import { startFakeGenieAcs, type FakeGenieAcs } from '../helpers/fake-genieacs.js';
import { startTracedProcess, type TracedProcess } from '../helpers/traced-process.js';

/**
 * Traces as an operator gets them: an API process and a worker process, each started as `npm start`
 * does (the tracing preload), exporting OTLP/JSON to a receiver here. A run started over HTTP with a
 * `traceparent` is run by the other process; it provisions a CPE through GenieACS, parks on an event,
 * and resumes in a second segment. Its spans join the caller's trace:
 * request → GraphQL → run → step → service call → outbound HTTP (with `traceparent`), SQL and Redis. A payment
 * confirmed by the built-in ledger's signed webhook (sent later, by the worker's outbox, to the API) stays
 * in the trace of the step that created the intent.
 */
const ADMIN_PASSWORD = 'traces-e2e-password';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const REQUEST_ID = 'traces-e2e-request';
/** OTLP's SpanKind numbers. */
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** One trace's spans, and how they hang together. */
function traceOf(received: readonly ReceivedSpan[], traceId: string) {
  const spans = received.filter((span) => span.traceId === traceId);
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
    const chain: ReceivedSpan[] = [];
    for (let at = span.parentSpanId && byId.get(span.parentSpanId); at; at = at.parentSpanId && byId.get(at.parentSpanId)) chain.push(at);
    return chain;
  };
  const children = (parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId);
  return { spans, ancestors, children };
}

const definition = {
  steps: [
    {
      name: 'provision',
      type: 'service_call',
      service: 'genieacs',
      method: 'provisionDevice',
      params: {
        customerId: '${context.customer_id}',
        deviceSerial: '${context.serial}',
        configTemplate: { pppoeUsername: 'trace-user', pppoePassword: 'trace-password-1' },
      },
    },
    { name: 'confirmed', type: 'wait', event: { name: 'cpe.confirmed', match: 'event.serial = context.serial', timeoutSeconds: 600 } },
    { name: 'done', type: 'transform', output: { ok: true } },
  ],
};

describe('traces of a run started over HTTP and run by another process', () => {
  let database: TestDatabase;
  let receiver: OtlpReceiver;
  let acs: FakeGenieAcs;
  let api: TracedProcess;
  let worker: TracedProcess;
  let port: number;

  beforeAll(async () => {
    [database, receiver, acs] = await Promise.all([createTestDatabase(), startOtlpReceiver(), startFakeGenieAcs()]);
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: testEnv('redisUrl'),
      SWITCHYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SWITCHYARD_DEMO_DATA: 'false',
      SWITCHYARD_BUILT_IN_WORKFLOWS: 'none',
      GENIEACS_URL: acs.url,
      PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    api = startTracedProcess({ ...env, SWITCHYARD_ROLES: 'api', OTEL_SERVICE_NAME: 'switchyard-api' });
    port = Number(/localhost:(\d+)\/graphql/.exec(await api.line(/Switchyard is running/))?.[1]);
    // The ledger's payment confirmations go from the worker's outbox to the API's /webhooks/payments.
    worker = startTracedProcess({
      ...env,
      SWITCHYARD_ROLES: 'worker',
      OTEL_SERVICE_NAME: 'switchyard-worker',
      SWITCHYARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    await worker.line(/Switchyard is running/);
    // Two processes start (migrations checked, first-start seeding) on a machine the other suites share.
  }, 180_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await Promise.all([receiver?.close(), acs?.stop(), database?.drop()]);
  }, 60_000);

  async function graphql<T>(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!body.data || body.errors) throw new Error(`GraphQL answered ${JSON.stringify(body)}`);
    return body.data;
  }

  it('joins the caller’s trace: request → run → steps → service call → outbound HTTP, segments linked', async () => {
    const { login } = await graphql<{ login: { token: string } }>(
      'mutation($p: String!) { login(email: "admin@switchyard.local", password: $p) { token } }',
      { p: ADMIN_PASSWORD },
    );
    const auth = { authorization: `Bearer ${login.token}` };
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Ada", email: "ada@example.com" }) { id } }',
      {},
      auth,
    );
    acs.addDevice({ serial: 'TRACE0001' });
    await graphql(
      'mutation($d: JSONObject!) { createWorkflow(input: { name: "traced_provisioning", definition: $d }) { name } }',
      { d: definition },
      auth,
    );

    const caller = { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, 'x-request-id': REQUEST_ID };
    const started = await graphql<{ executeWorkflow: { execution: { id: string } } }>(
      'mutation($c: JSONObject!) { executeWorkflow(name: "traced_provisioning", context: $c) { execution { id } } }',
      { c: { customer_id: createCustomer.id, serial: 'TRACE0001' } },
      { ...auth, ...caller },
    );
    const executionId = started.executeWorkflow.execution.id;
    const segment = (spans: readonly ReceivedSpan[], epoch: number, status: string) =>
      spans.find(
        (span) =>
          span.attributes['switchyard.execution.id'] === executionId &&
          span.name === 'run traced_provisioning' &&
          span.attributes['switchyard.run.segment'] === epoch &&
          span.attributes['switchyard.run.status'] === status,
      );
    await receiver.waitFor((spans) => segment(spans, 1, 'waiting') !== undefined, 60_000);

    await graphql('mutation { publishEvent(name: "cpe.confirmed", payload: { serial: "TRACE0001" }) { created } }', {}, auth);
    await receiver.waitFor(
      (spans) =>
        segment(spans, 2, 'completed') !== undefined && spans.some((span) => span.name === 'POST' && span.parentSpanId === CALLER_SPAN),
      60_000,
    );

    const { spans, ancestors, children } = traceOf(receiver.spans, TRACE_ID);

    // The request, in the API process: the caller's span is its parent.
    const request = spans.find((span) => span.name === 'POST' && span.parentSpanId === CALLER_SPAN && span.service === 'switchyard-api');
    expect(request).toBeDefined();

    // The first segment, in the worker process, under the request (through the resolver that started it).
    const first = segment(spans, 1, 'waiting');
    if (!first || !request) throw new Error('spans missing');
    expect(first.service).toBe('switchyard-worker');
    expect(ancestors(first)).toContain(request);
    expect(ancestors(first).map((span) => span.name)).toContain('graphql.resolve executeWorkflow');
    // The root field only: its nested fields (execution, id) are plain property reads, with no spans of their own.
    expect(
      spans.filter((span) => span.name.startsWith('graphql.resolve') && ancestors(span).includes(request)).map((span) => span.name),
    ).toEqual(['graphql.resolve executeWorkflow']);
    expect(first.attributes).toMatchObject({
      'switchyard.execution.id': executionId,
      'switchyard.workflow.name': 'traced_provisioning',
      'switchyard.workflow.version': 1,
      'switchyard.request.id': REQUEST_ID,
    });
    expect(first.links).toEqual([]);

    // Its step, the service call in it, and the calls to GenieACS in that, each carrying the trace.
    const provision = children(first).find((span) => span.name === 'step provision');
    expect(provision?.attributes).toMatchObject({
      'switchyard.execution.id': executionId,
      'switchyard.step.key': 'provision',
      'switchyard.step.attempt': 1,
      'switchyard.step.status': 'completed',
    });
    const call = provision && children(provision).find((span) => span.name === 'service genieacs.provisionDevice');
    expect(call).toBeDefined();
    const outbound = call ? children(call).filter((span) => /^(GET|POST)$/.test(span.name)) : [];
    expect(outbound.length).toBeGreaterThan(0);
    expect(acs.requests.length).toBeGreaterThan(0);
    for (const sent of acs.requests) expect(sent.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(outbound.map((span) => span.spanId)).toEqual(
      expect.arrayContaining(acs.requests.map((sent) => sent.traceparent?.split('-')[2])),
    );
    // SQL of the service call (its customer and CPE record) and of the run.
    expect(spans.some((span) => span.name.startsWith('pg.query') && span.parentSpanId === call?.spanId)).toBe(true);
    expect(spans.some((span) => span.name.startsWith('pg.query') && span.service === 'switchyard-api')).toBe(true);
    // Redis (ioredis) inside the request: the API wakes the workers for the run it recorded.
    const redis = spans.filter(
      (span) => span.attributes['db.system.name'] === 'redis' && span.service === 'switchyard-api' && ancestors(span).includes(request),
    );
    expect(redis.map((span) => span.attributes['db.query.text'])).toContainEqual(expect.stringMatching(/^publish switchyard:work-wakeup/));

    // The second segment: same parent (the trace context stored with the run), linked to the first.
    const second = segment(spans, 2, 'completed');
    expect(second?.parentSpanId).toBe(first.parentSpanId);
    expect(second?.links).toEqual([{ traceId: TRACE_ID, spanId: first.spanId }]);
    expect(second && children(second).map((span) => span.name)).toEqual(expect.arrayContaining(['step confirmed', 'step done']));

    // The worker's log lines of the run name the request and the trace.
    const started1 = await worker.line(/"msg":"run started: traced_provisioning"/);
    expect(JSON.parse(started1)).toMatchObject({ executionId, requestId: REQUEST_ID, traceId: TRACE_ID });
    const completed = await worker.line(/"msg":"run completed: traced_provisioning"/);
    expect(JSON.parse(completed)).toMatchObject({ executionId, requestId: REQUEST_ID, traceId: TRACE_ID });
  }, 120_000);

  it('a run started by an event joins the trace of the request that published it', async () => {
    const { login } = await graphql<{ login: { token: string } }>(
      'mutation($p: String!) { login(email: "admin@switchyard.local", password: $p) { token } }',
      { p: ADMIN_PASSWORD },
    );
    const auth = { authorization: `Bearer ${login.token}` };
    const onEvent = {
      triggers: [{ event: 'trace.pinged', context: '{ "n": event.n }' }],
      steps: [{ name: 'echo', type: 'transform', output: { n: '${context.n}' } }],
    };
    await graphql(
      'mutation($d: JSONObject!) { createWorkflow(input: { name: "traced_on_event", definition: $d }) { name } }',
      { d: onEvent },
      auth,
    );

    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const publisherSpan = '1122334455667788';
    await graphql(
      'mutation { publishEvent(name: "trace.pinged", payload: { n: 7 }) { created } }',
      {},
      { ...auth, traceparent: `00-${traceId}-${publisherSpan}-01` },
    );
    const run = (spans: readonly ReceivedSpan[]) =>
      spans.find((span) => span.name === 'run traced_on_event' && span.attributes['switchyard.run.status'] === 'completed');
    // Each process exports its spans in its own batches: wait for the API's spans too, not only the worker's run.
    const request = (spans: readonly ReceivedSpan[]) =>
      spans.find((span) => span.traceId === traceId && span.name === 'POST' && span.parentSpanId === publisherSpan);
    const parentOf = (spans: readonly ReceivedSpan[]) => spans.find((span) => span.spanId === run(spans)?.parentSpanId);
    await receiver.waitFor((spans) => run(spans) !== undefined && parentOf(spans) !== undefined && request(spans) !== undefined, 60_000);

    const segment = run(receiver.spans);
    expect(segment?.traceId).toBe(traceId);
    // Its parent is a span of the publishing request, in the API process (the event's recorder).
    expect(parentOf(receiver.spans)).toMatchObject({ traceId, service: 'switchyard-api' });
    expect(request(receiver.spans)).toBeDefined();
  }, 120_000);

  it('the ledger’s webhook, sent by the outbox, is a child of the step that created the intent, and so is its intake', async () => {
    const { login } = await graphql<{ login: { token: string } }>(
      'mutation($p: String!) { login(email: "admin@switchyard.local", password: $p) { token } }',
      { p: ADMIN_PASSWORD },
    );
    const auth = { authorization: `Bearer ${login.token}` };
    await graphql('mutation { createWebhookSecret(source: "payments") { secret } }', {}, auth);
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      'mutation { createCustomer(input: { name: "Paula", email: "paula@example.com" }) { id } }',
      {},
      auth,
    );
    const charge = {
      steps: [
        {
          name: 'draft',
          type: 'service_call',
          service: 'billing',
          method: 'createInvoiceDraft',
          params: { customerId: '${context.customer_id}', amount: 1_000, currency: 'EUR', region: 'DE', description: 'Traced' },
        },
        {
          name: 'intent',
          type: 'service_call',
          service: 'billing',
          method: 'createPaymentIntent',
          params: { invoiceId: '${steps.draft.output.invoiceId}', paymentMethod: 'card' },
        },
        {
          name: 'paid',
          type: 'wait',
          event: { name: 'payment.succeeded', match: 'event.intentId = steps.intent.output.providerReference', timeoutSeconds: 600 },
        },
      ],
    };
    await graphql(
      'mutation($d: JSONObject!) { createWorkflow(input: { name: "traced_charge", definition: $d }) { name } }',
      { d: charge },
      auth,
    );

    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const started = await graphql<{ executeWorkflow: { execution: { id: string } } }>(
      'mutation($c: JSONObject!) { executeWorkflow(name: "traced_charge", context: $c) { execution { id } } }',
      { c: { customer_id: createCustomer.id } },
      { ...auth, traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    );
    const executionId = started.executeWorkflow.execution.id;
    const resumed = (spans: readonly ReceivedSpan[]) =>
      spans.find(
        (span) =>
          span.attributes['switchyard.execution.id'] === executionId &&
          span.name === 'run traced_charge' &&
          span.attributes['switchyard.run.status'] === 'completed',
      );
    const callOf = (spans: readonly ReceivedSpan[]) => spans.find((span) => span.name === 'service billing.createPaymentIntent');
    // The outbox's POST (the worker, a client span) under the service call, however late it left…
    const postOf = (spans: readonly ReceivedSpan[]) =>
      spans.find((span) => span.name === 'POST' && span.kind === SPAN_KIND_CLIENT && span.parentSpanId === callOf(spans)?.spanId);
    // …and the API's handling of it (a server span) under the POST. The API exports its spans in its own
    // batches, which may reach the receiver after the worker's: wait for it as well as for the resumed run.
    const intakeOf = (spans: readonly ReceivedSpan[]) =>
      spans.find((span) => span.kind === SPAN_KIND_SERVER && span.parentSpanId === postOf(spans)?.spanId);
    await receiver.waitFor((spans) => resumed(spans) !== undefined && intakeOf(spans) !== undefined, 60_000);

    const { spans, ancestors } = traceOf(receiver.spans, traceId);
    expect(callOf(spans)?.service).toBe('switchyard-worker');
    expect(postOf(spans)?.service).toBe('switchyard-worker');
    // The intake is the webhook's request, with its SQL inside.
    const intake = intakeOf(spans);
    expect(intake).toMatchObject({ service: 'switchyard-api', attributes: expect.objectContaining({ 'url.path': '/webhooks/payments' }) });
    expect(spans.some((span) => span.name.startsWith('pg.query') && intake && ancestors(span).includes(intake))).toBe(true);
    // The run resumed by the confirmation is in the same trace, its segments linked.
    expect(resumed(spans)?.links).toHaveLength(1);
  }, 120_000);

  it('the console page an invitation e-mail links to: its request’s span shows the one-time token redacted', async () => {
    const token = randomBytes(32).toString('base64url');
    const traceId = '5b8aa5a2d2c872e8321cf37308d69df2';
    await fetch(`http://127.0.0.1:${port}/accept-invitation?token=${token}`, {
      headers: { accept: 'text/html', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const page = (spans: readonly ReceivedSpan[]) => spans.find((span) => span.traceId === traceId && span.kind === SPAN_KIND_SERVER);
    await receiver.waitFor((spans) => page(spans) !== undefined, 60_000);
    expect(page(receiver.spans)?.attributes).toMatchObject({ 'url.path': '/accept-invitation', 'url.query': 'token=REDACTED' });
    const showing = receiver.spans.filter((span) => Object.values(span.attributes).some((value) => String(value).includes(token)));
    expect(showing.map((span) => span.name)).toEqual([]);
  }, 120_000);
});
