import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signal } from '../../../src/engine/store/execution-store.js';
import { transactionQueryable } from '../../../src/infra/queryable.js';
import { STAGE_FOLLOW_UP_SECONDS } from '../../../src/workflows/lead-to-opportunity.js';
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
    const opportunity = (await h.gql(PipelineConvertLeadDocument, { id: lead.id, input: { amount, currency: 'EUR', region: 'DE', owner: 'Sam.Sales@example.com' } })).convertLead;
    expect(opportunity).toMatchObject({ leadId: lead.id, name: `${name} GmbH`, stage: 'PROSPECT', probability: 10, owner: 'sam.sales@example.com' });
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
    await h.waitFor(runId, (run) => run.status === 'WAITING' && run.steps.some((each) => each.key === 'wait_for_progress' && each.status === 'COMPLETED'));
    expect(await move(opportunityId, 'PROPOSAL')).toMatchObject({ probability: 50 });
    expect(await move(opportunityId, 'NEGOTIATION')).toMatchObject({ probability: 75 });
    await expect(h.gql(PipelineMoveOpportunityDocument, { id: opportunityId, stage: 'PROSPECT' })).rejects.toThrow(/INVALID_STATE/);
    // The stage is an enum: a value outside it is refused before any resolver runs, with a code.
    const unknown = await execute(h.server.url, PipelineMoveOpportunityDocument, { id: opportunityId, stage: 'won' as OpportunityStage }, h.server.adminHeaders);
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await move(opportunityId, 'CLOSED_WON')).toMatchObject({ stage: 'CLOSED_WON', probability: 100, closedAt: expect.any(String) });

    const run = await h.waitFor(runId);
    expect(run.status).toBe('COMPLETED');
    expect(stepStatuses(run)).toMatchObject({ wait_for_progress: 'COMPLETED', follow_up_stalled: 'SKIPPED', wait_for_close: 'COMPLETED', outcome: 'COMPLETED', request_invoice: 'COMPLETED' });
    expect(step(run, 'outcome').output).toBe('closed_won');

    // One workflow starting another through an event: the invoice, with VAT, paid through the ledger's webhook.
    const { started } = await h.dispatched('invoice.requested', (payload) => payload['opportunityId'] === opportunityId);
    const payment = await h.waitFor(started['payment_processing'] ?? '');
    expect(payment.status).toBe('COMPLETED');
    expect(step(payment, 'create_invoice_draft').output).toMatchObject({ customerId, subtotalAmount: 250_000, taxAmount: 47_500, totalAmount: 297_500, currency: 'EUR' });

    const overview = await h.gql(PipelineOverviewDocument, {});
    expect(overview.pipeline).toContainEqual({ stage: 'CLOSED_WON', currency: 'EUR', count: 1, amount: 250_000, weightedAmount: 250_000 });
  });

  it("gives the owner a follow-up task when a week passes without a move, and ends without invoicing when it is lost", async () => {
    const { opportunityId, runId } = await convertedLead('Otto Stalled', 80_000);
    await h.waitFor(runId, (run) => run.status === 'WAITING');

    // A week passes on the engine's clock; the wait's timer comes due.
    clock.advance((STAGE_FOLLOW_UP_SECONDS + 1) * 1000);
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, runId);
    await h.waitFor(runId, (run) => run.status === 'WAITING' && run.steps.some((each) => each.key === 'follow_up_stalled' && each.status === 'COMPLETED'));
    const tasks = (await h.gql(PipelineOverviewDocument, { owner: 'sam.sales@example.com' })).followUpTasks.filter((task) => task.opportunityId === opportunityId);
    expect(tasks).toEqual([expect.objectContaining({ owner: 'sam.sales@example.com', status: 'OPEN', title: expect.stringContaining('No progress in a week') })]);

    expect(await move(opportunityId, 'CLOSED_LOST')).toMatchObject({ stage: 'CLOSED_LOST', probability: 0 });
    const run = await h.waitFor(runId);
    expect(run.status).toBe('COMPLETED');
    expect(step(run, 'outcome').output).toBe('closed_lost');
    expect(stepStatuses(run)).toMatchObject({ follow_up_stalled: 'COMPLETED', follow_up_open: 'SKIPPED', request_invoice: 'SKIPPED' });
  });
});
