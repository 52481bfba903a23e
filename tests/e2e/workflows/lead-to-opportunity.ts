import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setClock } from '../../../src/auth/clock.js';
import { signal } from '../../../src/engine/store/execution-store.js';
import { transactionQueryable } from '../../../src/infra/queryable.js';
import { CLOSE_FOLLOW_UP_SECONDS, FOLLOW_SECONDS } from '../../../src/workflows/lead-to-opportunity.js';
import { runEventScan } from '../../../src/workflows/event-scan.js';
import { STALLED_OPPORTUNITIES_SCAN } from '../../../src/workflows/stalled-opportunities.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import {
  DomainCreateLeadDocument,
  PipelineContactLeadDocument,
  PipelineConvertLeadDocument,
  PipelineMoveOpportunityDocument,
  PipelineOverviewDocument,
  PipelineQualifyLeadDocument,
  WebhookCreateSecretDocument,
  type OpportunityStage,
} from '../../generated/graphql.js';
import { startWorkflowHarness, step, stepStatuses, type WorkflowHarness } from './harness.js';

function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
}

describe('lead_to_opportunity (seed 003 §2): the pipeline driven by events, follow-ups when it stalls, invoicing when won', () => {
  let h: WorkflowHarness;
  const clock = movableClock();

  beforeAll(async () => {
    h = await startWorkflowHarness({ clock });
    // The API's clock too: a stage moved after time moved on is moved then (stageChangedAt), as the scan reads it.
    setClock(h.server.orm, clock);
    // A won deal is invoiced by payment_processing, whose ledger confirms through the payments webhook.
    await h.gql(WebhookCreateSecretDocument, { source: 'payments' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A lead taken new → contacted → qualified → converted: its opportunity, and the run that follows it. */
  async function convertedLead(name: string, amount: number): Promise<{ opportunityId: string; customerId: string; runId: string }> {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}@pipeline.example`;
    const lead = (await h.gql(DomainCreateLeadDocument, { input: { name, email, company: `${name} GmbH` } })).createLead;
    expect((await h.gql(PipelineContactLeadDocument, { id: lead.id })).contactLead.status).toBe('CONTACTED');
    expect((await h.gql(PipelineQualifyLeadDocument, { id: lead.id })).qualifyLead.status).toBe('QUALIFIED');
    const opportunity = (
      await h.gql(PipelineConvertLeadDocument, {
        id: lead.id,
        input: { amount, currency: 'EUR', region: 'DE', owner: 'Sam.Sales@example.com' },
      })
    ).convertLead;
    expect(opportunity).toMatchObject({
      leadId: lead.id,
      name: `${name} GmbH`,
      stage: 'PROSPECT',
      probability: 10,
      owner: 'sam.sales@example.com',
    });
    const { started } = await h.dispatched('opportunity.created', (payload) => payload['opportunityId'] === opportunity.id);
    const runId = started['lead_to_opportunity'];
    if (!runId) throw new Error('opportunity.created started no lead_to_opportunity run');
    return { opportunityId: opportunity.id, customerId: opportunity.customerId, runId };
  }
  const move = async (id: string, stage: OpportunityStage) => (await h.gql(PipelineMoveOpportunityDocument, { id, stage })).moveOpportunity;

  it('follows the stages to closed_won, then starts payment_processing through invoice.requested', async () => {
    const { opportunityId, customerId, runId } = await convertedLead('Ida Initech', 250_000);
    await h.waitFor(runId, (run) => run.status === 'WAITING');
    expect(await move(opportunityId, 'QUALIFICATION')).toMatchObject({ stage: 'QUALIFICATION', probability: 25 });
    expect(await move(opportunityId, 'PROPOSAL')).toMatchObject({ probability: 50 });
    expect(await move(opportunityId, 'NEGOTIATION')).toMatchObject({ probability: 75 });
    await expect(h.gql(PipelineMoveOpportunityDocument, { id: opportunityId, stage: 'PROSPECT' })).rejects.toThrow(/INVALID_STATE/);
    // The stage is an enum: a value outside it is refused before any resolver runs, with a code.
    const unknown = await execute(
      h.server.url,
      PipelineMoveOpportunityDocument,
      { id: opportunityId, stage: 'won' as OpportunityStage },
      h.server.adminHeaders,
    );
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await move(opportunityId, 'CLOSED_WON')).toMatchObject({ stage: 'CLOSED_WON', probability: 100, closedAt: expect.any(String) });

    const run = await h.waitFor(runId);
    expect(run.status).toBe('COMPLETED');
    expect(stepStatuses(run)).toMatchObject({
      wait_for_close: 'COMPLETED',
      wait_thirty_days: 'COMPLETED',
      follow_up_open: 'SKIPPED',
      outcome: 'COMPLETED',
      request_invoice: 'COMPLETED',
    });
    expect(step(run, 'outcome').output).toBe('closed_won');

    // One workflow starting another through an event: the invoice, with VAT, paid through the ledger's webhook.
    const { started } = await h.dispatched('invoice.requested', (payload) => payload['opportunityId'] === opportunityId);
    const payment = await h.waitFor(started['payment_processing'] ?? '');
    expect(payment.status).toBe('COMPLETED');
    expect(step(payment, 'create_invoice_draft').output).toMatchObject({
      customerId,
      subtotalAmount: 250_000,
      taxAmount: 47_500,
      totalAmount: 297_500,
      currency: 'EUR',
    });

    const overview = await h.gql(PipelineOverviewDocument, {});
    expect(overview.pipeline).toContainEqual({ stage: 'CLOSED_WON', currency: 'EUR', count: 1, amount: 250_000, weightedAmount: 250_000 });
  });

  /** The opportunity's follow-up tasks, oldest first, once there are `count` of them (the scan and its runs work on their own). */
  async function tasksOnceThere(opportunityId: string, count: number) {
    return eventually(
      `${count} follow-up tasks of opportunity ${opportunityId}`,
      async () =>
        (await h.gql(PipelineOverviewDocument, { owner: 'sam.sales@example.com' })).followUpTasks
          .filter((task) => task.opportunityId === opportunityId)
          .reverse(),
      (tasks) => tasks.length >= count,
      30_000,
    );
  }
  const WEEK_MS = 7 * 86_400_000;
  const HOUR_MS = 3_600_000;

  it('gives the owner a task each week the opportunity does not move, counting anew from each move; thirty days open makes another; lost, no invoice', async () => {
    const { opportunityId, runId } = await convertedLead('Otto Stalled', 80_000);
    await h.waitFor(runId, (run) => run.status === 'WAITING');

    // Time moves on the engine's clock: the server's own scheduler runs the hourly scan at its next poll.
    clock.advance(WEEK_MS + HOUR_MS);
    expect((await tasksOnceThere(opportunityId, 1)).map((task) => task.title)).toEqual([
      'No move from prospect in a week: call the customer and move the opportunity on',
    ]);
    clock.advance(WEEK_MS);
    const twoWeeks = await tasksOnceThere(opportunityId, 2);
    expect(twoWeeks[1]).toMatchObject({
      title: 'No move from prospect in 2 weeks: call the customer and move the opportunity on',
      owner: 'sam.sales@example.com',
      status: 'OPEN',
    });

    // A move starts the count again, for the new stage.
    expect(await move(opportunityId, 'QUALIFICATION')).toMatchObject({ stage: 'QUALIFICATION' });
    clock.advance(WEEK_MS + HOUR_MS);
    expect((await tasksOnceThere(opportunityId, 3))[2]?.title).toBe(
      'No move from qualification in a week: call the customer and move the opportunity on',
    );
    // Another scan of the same week (another scheduler, the next hour) records nothing new.
    const again = await runEventScan(STALLED_OPPORTUNITIES_SCAN, transactionQueryable(h.server.orm.em.fork()), { now: clock.now() });
    expect(again).toMatchObject({ found: expect.any(Number), recorded: 0 });

    // Thirty days open: the run's own timeout makes the "close it" task (its timer comes due on the moved clock).
    clock.advance(CLOSE_FOLLOW_UP_SECONDS * 1000 - 3 * WEEK_MS);
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, runId);
    await h.waitFor(runId, (run) => run.steps.some((each) => each.key === 'follow_up_open' && each.status === 'COMPLETED'));
    expect((await tasksOnceThere(opportunityId, 4)).map((task) => task.title)).toContain('Open for thirty days: close it, won or lost');

    expect(await move(opportunityId, 'CLOSED_LOST')).toMatchObject({ stage: 'CLOSED_LOST', probability: 0 });
    const run = await h.waitFor(runId);
    expect(run.status).toBe('COMPLETED');
    expect(step(run, 'outcome').output).toBe('closed_lost');
    expect(stepStatuses(run)).toMatchObject({ wait_thirty_days: 'COMPLETED', follow_up_open: 'COMPLETED', request_invoice: 'SKIPPED' });

    // Closed, it is never stalled: a scan weeks later records nothing more for it.
    const stalledEvents = async () =>
      (
        await h.query<{ n: number }>(
          "select count(*)::int as n from domain_events where name = 'opportunity.stalled' and payload->>'opportunityId' = ?",
          [opportunityId],
        )
      )[0]?.n;
    const before = await stalledEvents();
    await runEventScan(STALLED_OPPORTUNITIES_SCAN, transactionQueryable(h.server.orm.em.fork()), {
      now: new Date(clock.now().getTime() + 5 * WEEK_MS),
    });
    expect(await stalledEvents()).toBe(before);
  });

  it('makes no task when the opportunity moved after the scan saw it stalled', async () => {
    const { opportunityId } = await convertedLead('Mia Moved', 40_000);
    expect(await move(opportunityId, 'PROPOSAL')).toMatchObject({ stage: 'PROPOSAL' });
    // As if the scan had seen it at its old stage, just before the move.
    const context = { opportunity_id: opportunityId, stage: 'prospect', stage_changed_at: '2026-01-01T00:00:00.000Z', weeks: 1 };
    const id = await h.run('opportunity_follow_up', context);
    const run = await h.waitFor(id);
    expect(run.status).toBe('COMPLETED');
    expect(run.result).toMatchObject({ created: false, taskId: null, stage: 'proposal' });
    const tasks = (await h.gql(PipelineOverviewDocument, { owner: 'sam.sales@example.com' })).followUpTasks.filter(
      (task) => task.opportunityId === opportunityId,
    );
    expect(tasks).toEqual([]);
  });

  // Last: it moves the clocks a year on.
  it('invoices a deal won more than a year after it opened: lead_to_opportunity has ended, late_win_invoicing asks', async () => {
    const { opportunityId, runId } = await convertedLead('Leo Late', 120_000);
    await h.waitFor(runId, (run) => run.status === 'WAITING');
    clock.advance(FOLLOW_SECONDS * 1000 + HOUR_MS);
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, runId);
    const ended = await h.waitFor(runId);
    expect(ended.status).toBe('COMPLETED');
    expect(step(ended, 'outcome').output).toBe('open');
    expect(stepStatuses(ended)).toMatchObject({ follow_up_open: 'COMPLETED', request_invoice: 'SKIPPED' });

    expect(await move(opportunityId, 'CLOSED_WON')).toMatchObject({ stage: 'CLOSED_WON' });
    const won = await h.dispatched('opportunity.stage_changed', (payload) => payload['opportunityId'] === opportunityId);
    const late = await h.waitFor(won.started['late_win_invoicing'] ?? '');
    expect(late.status).toBe('COMPLETED');
    expect(late.result).toMatchObject({ opportunityId, amount: 120_000, currency: 'EUR' });
    const { started } = await h.dispatched('invoice.requested', (payload) => payload['opportunityId'] === opportunityId);
    expect(started['payment_processing']).toEqual(expect.any(String));
  });
});
