import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { EmailTemplate } from '../../src/entities/domain/email-template.entity.js';
import { TeamWebhook } from '../../src/entities/domain/team-webhook.entity.js';
import { startTracing, type Tracing } from '../../src/observability/tracing/sdk.js';
import { executionTraceId } from '../../src/observability/tracing/trace-context.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startHttpReceiver, type HttpReceiver } from './services/operations/support/http-receiver.js';
import { startSmtpSink, type SmtpSink } from './services/operations/support/smtp-sink.js';

/**
 * Issue 14: a webhook a step queues in the outbox is sent later, by the outbox dispatcher; traced, its
 * POST is still a child of the service call that queued it, and carries that trace's `traceparent`. So is
 * an e-mail's sending (an `SMTP send` span: SMTP has no instrumentation). (In-process: the SDK with an
 * in-memory exporter; fetch is instrumented through undici's channels; a real SMTP server.)
 */
describe('outbox deliveries in the trace of the step that queued them', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let database: TestDatabase;
  let server: TestServer;
  let receiver: HttpReceiver;
  let smtp: SmtpSink;

  beforeAll(async () => {
    tracing = (await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })) as Tracing;
    [database, receiver, smtp] = await Promise.all([createTestDatabase(), startHttpReceiver(), startSmtpSink()]);
    // The server takes the tracing this process started.
    server = await startTestServer({
      databaseUrl: database.url,
      env: { SMTP_URL: smtp.url, SMTP_FROM: 'Switchyard <noreply@isp.example.com>' },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([receiver?.stop(), smtp?.stop(), database?.drop(), tracing?.shutdown()]);
  });

  it('posts with the run’s traceparent, its span under the service call', async () => {
    const tenantId = server.adminTenantId;
    const em = server.orm.em.fork();
    em.create(TeamWebhook, { tenant: tenantId, team: 'noc', url: `${receiver.url}/hooks/noc`, secret: 'whsec_noc_trace' });
    await em.flush();
    await server.engine.workflows.save({
      tenantId,
      name: 'page_noc',
      definition: {
        steps: [
          {
            name: 'page',
            type: 'service_call',
            service: 'notifications',
            method: 'notifyTeam',
            params: { team: 'noc', subject: 'Link down', message: 'PoP 3', channel: 'webhook' },
          },
        ],
      },
    });
    const { executionId } = await server.engine.start({ tenantId, workflow: 'page_noc' });

    const [delivery] = await eventually(
      'the webhook delivered',
      async () => receiver.received,
      (received) => received.length > 0,
    );
    // Started without a caller's trace: the run's trace id is its execution id.
    const traceId = executionTraceId(executionId);
    const traceparent = String(delivery?.headers['traceparent']);
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // The receiver records the request as it arrives; the client's POST span ends only once the answer is back.
    const postSpanId = traceparent.split('-')[2];
    const spans = await eventually(
      'the POST span exported',
      async () => {
        await tracing.flush();
        return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      },
      (found) => found.some((span) => span.spanContext().spanId === postSpanId),
    );
    const call = spans.find((span) => span.name === 'service notifications.notifyTeam');
    const post = spans.find((span) => span.spanContext().spanId === postSpanId);
    expect(call?.parentSpanContext?.spanId).toBe(spans.find((span) => span.name === 'step page')?.spanContext().spanId);
    expect(post?.name).toBe('POST');
    expect(post?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
  });

  it('sends a queued e-mail inside an `SMTP send` span under the service call that queued it', async () => {
    const tenantId = server.adminTenantId;
    const em = server.orm.em.fork();
    em.create(EmailTemplate, { tenant: tenantId, name: 'outage_notice', subject: 'Outage at {{site}}', textBody: 'PoP {{site}} is down.' });
    await em.flush();
    await server.engine.workflows.save({
      tenantId,
      name: 'notify_outage',
      definition: {
        steps: [
          {
            name: 'mail',
            type: 'service_call',
            service: 'communications',
            method: 'sendTemplateEmail',
            params: { template: 'outage_notice', recipient: 'noc@isp.example.com', variables: { site: '3' } },
          },
        ],
      },
    });
    const { executionId } = await server.engine.start({ tenantId, workflow: 'notify_outage' });
    await eventually(
      'the e-mail sent',
      async () => smtp.received,
      (received) => received.length > 0,
    );
    const traceId = executionTraceId(executionId);
    const spans = await eventually(
      'the send span exported',
      async () => {
        await tracing.flush();
        return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      },
      (found) => found.some((span) => span.name === 'SMTP send'),
    );
    const call = spans.find((span) => span.name === 'service communications.sendTemplateEmail');
    const send = spans.find((span) => span.name === 'SMTP send');
    expect(send?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    expect(send?.attributes).toMatchObject({ 'switchyard.email.template': 'outage_notice' });
    expect(String(send?.attributes['switchyard.outbox.id'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});
