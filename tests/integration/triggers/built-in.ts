import pg from 'pg';
import { seedDemoData, type DemoData } from '../../../src/bootstrap/demo-data.js';
import { compileCron } from '../../../src/engine/definition/cron.js';
import { EXPIRING_SOON_SCHEDULE } from '../../../src/workflows/expiring-soon.js';
import { seedBuiltInWorkflows } from '../../../src/workflows/index.js';
import {
  AcceptQuoteForTriggerDocument,
  ApproveInstallationForTriggerDocument,
  CreateLeadForTriggerDocument,
  DomainEventByIdDocument,
  QualifyLeadForTriggerDocument,
} from '../../generated/graphql.js';
import { execute } from '../../helpers/graphql.js';
import { useTestServer } from '../../helpers/server.js';
import { eventually, executionsOf, simulatedClock } from './support.js';

/**
 * The built-in workflows' triggers against the events the domain records: each business action through
 * the API starts its workflow with no other call (the server's own dispatcher delivers the event).
 */
describe('triggers: the built-in workflows start on their domain events', () => {
  let pool: pg.Pool;
  // Declared before the server: jest runs afterAll hooks in order, and this pool must end before its database goes.
  afterAll(async () => {
    await pool?.end();
  });
  const server = useTestServer();
  let demo: DemoData;

  beforeAll(async () => {
    demo = await seedDemoData(server.orm.em, server.adminTenantId);
    await seedBuiltInWorkflows(server.engine, server.adminTenantId, { em: server.orm.em });
    pool = new pg.Pool({ connectionString: server.database.url, max: 2 });
  });

  /** The run of `workflow` whose context matches, started by an `eventName` event whose delivery names it. */
  const startedBy = async (workflow: string, eventName: string, context: Record<string, unknown>) => {
    const runs = await eventually(
      `${workflow} is started by ${eventName}`,
      () => executionsOf(pool, server.adminTenantId, workflow),
      (found) => found.some((run) => Object.entries(context).every(([key, value]) => run.context[key] === value)),
    );
    const run = runs.find((candidate) => Object.entries(context).every(([key, value]) => candidate.context[key] === value));
    expect(run?.trigger_type).toBe('event');
    expect(run?.trigger_source?.startsWith(`${eventName}:`)).toBe(true);
    const eventId = run?.trigger_source?.slice(eventName.length + 1) ?? '';
    // The run exists a moment before the dispatcher commits its delivery record.
    const event = await eventually(
      'the delivery is recorded',
      () => execute(server.url, DomainEventByIdDocument, { id: eventId }, server.adminHeaders),
      (response) => (response.data?.event.deliveries.length ?? 0) > 0,
    );
    expect(event.data?.event).toMatchObject({ name: eventName, deliveries: [{ workflow, status: 'STARTED', executionId: run?.id }] });
    return run;
  };

  it('accepting a quote starts quote_accepted_to_order', async () => {
    const accepted = await execute(server.url, AcceptQuoteForTriggerDocument, { id: demo.commercial.quoteId }, server.adminHeaders);
    expect(accepted.errors).toBeUndefined();
    await startedBy('quote_accepted_to_order', 'quote.accepted', { quote_id: demo.commercial.quoteId });
  });

  it('qualifying a lead starts lead_to_customer_onboarding', async () => {
    const created = await execute(
      server.url,
      CreateLeadForTriggerDocument,
      { input: { name: 'Mia Trigger', email: 'mia.trigger@example.com', company: 'Mia Ltd' } },
      server.adminHeaders,
    );
    const leadId = created.data?.createLead.id ?? '';
    expect((await execute(server.url, QualifyLeadForTriggerDocument, { id: leadId }, server.adminHeaders)).errors).toBeUndefined();
    await startedBy('lead_to_customer_onboarding', 'lead.qualified', { lead_id: leadId });
  });

  it('approving an installation request starts isp_ticket_to_deployment', async () => {
    const scheduledDate = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const approved = await execute(
      server.url,
      ApproveInstallationForTriggerDocument,
      { id: demo.isp.installationTicketId, scheduledDate },
      server.adminHeaders,
    );
    expect(approved.errors).toBeUndefined();
    await startedBy('isp_ticket_to_deployment', 'ticket.installation_approved', {
      customer_id: demo.isp.customerId,
      ticket_id: demo.isp.installationTicketId,
      scheduled_date: scheduledDate,
    });
  });

  it('the daily scan finds the demo subscription near its end and starts customer_renewal_process', async () => {
    // The scan's next tick, on a clock of its own (first now, then just past the tick); the server's
    // dispatcher delivers what it records.
    const now = new Date();
    const tick = compileCron(EXPIRING_SOON_SCHEDULE.cron, EXPIRING_SOON_SCHEDULE.timezone).after(now);
    const clock = simulatedClock(now.toISOString());
    const scheduler = server.engine.scheduler({ clock });
    await scheduler.runOnce();
    clock.set(new Date(tick.getTime() + 500).toISOString());
    await scheduler.runOnce();
    // (Runs of the other tests may have made subscriptions of their own, which the scan finds too.)
    const run = await startedBy('customer_renewal_process', 'subscription.expiring_soon', {
      subscription_id: demo.commercial.subscriptionId,
    });
    expect(run?.context).toEqual({ customer_id: demo.commercial.customerId, subscription_id: demo.commercial.subscriptionId });
  });
});
