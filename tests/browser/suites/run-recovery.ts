import type { Page } from 'playwright-core';
import { execute } from '../../helpers/graphql.js';
import {
  CreateLeadForTriggerDocument,
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  PublishEventDocument,
  QualifyLeadForTriggerDocument,
  RetryExecutionDocument,
} from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';
import { tabTo } from '../keyboard.js';

/**
 * Converts a lead into a customer after telling the sales team (undone by a second notice when the run
 * fails). The real customer service refuses a lead that is not qualified yet, so a run fails until
 * someone qualifies the lead (through the API, as the sales team would) — then a retry goes through.
 * The gate holds the retried run waiting, so the page can be seen following it before it completes.
 */
const CONVERT = {
  name: 'console_convert',
  definition: {
    input: { type: 'object', required: ['lead_id', 'token'], properties: { lead_id: { type: 'string' }, token: { type: 'string' } } },
    steps: [
      {
        name: 'announce',
        type: 'service_call',
        service: 'notifications',
        method: 'notifyTeam',
        params: { team: 'sales', subject: 'lead ${context.lead_id} becomes a customer' },
        compensate: {
          service: 'notifications',
          method: 'notifyTeam',
          params: { team: 'sales', subject: 'lead ${context.lead_id} withdrawn' },
        },
      },
      {
        name: 'convert',
        type: 'service_call',
        service: 'customer',
        method: 'createFromLead',
        params: { leadId: '${context.lead_id}', tenantId: '${tenant.id}' },
      },
      { name: 'gate', type: 'wait', event: { name: 'console.convert_gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
      { name: 'welcome', type: 'transform', output: { customer: '${steps.convert.output.customerId}' } },
    ],
  },
};

const status = (page: Page, value: string) => page.locator(`.run-header .status[data-status="${value}"]`).waitFor();

describeInBrowser('the console in a real browser: a failed run recovered', () => {
  const h = consoleHarness();
  let sequence = 0;

  beforeAll(async () => {
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: CONVERT }, h.server.adminHeaders));
  });

  /** A new lead and a run converting it, failed (the lead is not qualified); answers both ids and the gate's token. */
  async function failedRun(page: Page) {
    const { url, adminHeaders } = h.server;
    sequence += 1;
    const token = `convert-${Date.now()}-${sequence}`;
    const lead = h.admin(
      await execute(
        url,
        CreateLeadForTriggerDocument,
        { input: { name: `Lead ${sequence}`, email: `lead-${token}@example.com` } },
        adminHeaders,
      ),
    ).createLead.id;
    const run = h.admin(
      await execute(url, ExecuteWorkflowDocument, { name: CONVERT.name, context: { lead_id: lead, token } }, adminHeaders),
    ).executeWorkflow.execution.id;
    await page.goto(`/executions/${run}`);
    await status(page, 'FAILED');
    await page.evaluate('window.__sameDocument = true');
    return { lead, run, token };
  }
  const qualify = async (lead: string) =>
    h.admin(await execute(h.server.url, QualifyLeadForTriggerDocument, { id: lead }, h.server.adminHeaders));
  const openGate = async (token: string) =>
    h.admin(await execute(h.server.url, PublishEventDocument, { name: 'console.convert_gate', payload: { token } }, h.server.adminHeaders));

  it("goes the operator's whole way: the failed step's error and the compensation, the cause fixed, Retry from the console, completed", async () => {
    const { page } = await h.open('admin');
    const { lead, token } = await failedRun(page);

    // Why it failed: the failed step's panel opens by itself, with the service's own refusal.
    await stepNode(page, 'convert', 'FAILED').waitFor();
    const convert = page.getByRole('region', { name: 'Step convert', exact: true });
    const error = convert.getByRole('group', { name: 'Error', exact: true });
    await error.getByText('INVALID_STATE', { exact: true }).waitFor();
    expect(await error.innerText()).toContain('only a qualified lead can become a customer');
    expect(await page.locator('.run > p.error-notice[role="alert"]').innerText()).toContain('(step convert)');
    // What the run had done was undone: the compensation's node and the step's panel say so.
    await page.locator('[data-compensates="announce"][data-status="COMPLETED"]').waitFor();
    await stepNode(page, 'announce').click();
    await page
      .getByRole('region', { name: 'Step announce', exact: true })
      .getByRole('group', { name: 'Compensation', exact: true })
      .locator('.status[data-status="COMPLETED"]')
      .waitFor();
    expect(await stepNode(page, 'gate').getAttribute('data-status')).toBe('NOT_STARTED');

    // The cause fixed where it lies (the lead qualified), the run retried from the console.
    await qualify(lead);
    await page.getByRole('toolbar', { name: 'Run actions', exact: true }).getByRole('button', { name: 'Retry', exact: true }).click();
    await stepNode(page, 'convert', 'COMPLETED').waitFor();
    await status(page, 'WAITING');
    expect(await stepNode(page, 'welcome').getAttribute('data-status')).toBe('NOT_STARTED');
    await openGate(token);
    await status(page, 'COMPLETED');
    await stepNode(page, 'welcome', 'COMPLETED').waitFor();
    await stepNode(page, 'convert').click();
    expect(await convert.getByRole('group', { name: 'Error', exact: true }).count()).toBe(0);
    expect(await page.locator('.run > p.error-notice[role="alert"]').count()).toBe(0);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('follows a finished run again when it is retried elsewhere (through the API), without a reload: running, then completed', async () => {
    const { page } = await h.open('admin');
    const { lead, run, token } = await failedRun(page);
    const log = page.getByRole('list', { name: 'Event log', exact: true });
    await log.getByText('execution.failed', { exact: true }).waitFor();
    expect(await page.getByText('● live', { exact: true }).count()).toBe(0);

    // Someone else fixes and retries it; this page was only looking.
    await qualify(lead);
    h.admin(await execute(h.server.url, RetryExecutionDocument, { id: run }, h.server.adminHeaders));
    await log.getByText('execution.retried', { exact: true }).waitFor();
    await stepNode(page, 'convert', 'COMPLETED').waitFor();
    await status(page, 'WAITING');
    await page.getByText('● live', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    await openGate(token);
    await status(page, 'COMPLETED');
    await stepNode(page, 'welcome', 'COMPLETED').waitFor();
    await log.getByText('execution.completed', { exact: true }).waitFor();
    // Each event once, in order, across the pause between the two lives of the run.
    const sequences = await log.locator('> li').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-sequence'))));
    expect(sequences).toEqual(sequences.map((_sequence, index) => index + 1));
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('is driven by the keyboard alone: a step focused and opened with Enter, closed with Escape, Retry reached with Tab', async () => {
    const { page } = await h.open('admin');
    const { lead, token } = await failedRun(page);
    await page.getByRole('region', { name: 'Step convert', exact: true }).waitFor();

    // Tab from the top of the page to the first step's node; Enter opens its panel.
    await page.locator('body').focus();
    await tabTo(page, page.locator('.react-flow__node[data-id="announce"]'));
    await page.keyboard.press('Enter');
    const announce = page.getByRole('region', { name: 'Step announce', exact: true });
    await announce.getByRole('group', { name: 'Compensation', exact: true }).waitFor();

    // Escape closes it; Enter on the same node opens it again.
    await page.keyboard.press('Escape');
    await announce.waitFor({ state: 'detached' });
    await page.getByText('Select a step in the graph', { exact: false }).waitFor();
    await page.keyboard.press('Enter');
    await announce.waitFor();

    // Into the panel with Tab; Escape there closes it too and gives the focus back to the step's node.
    await tabTo(page, announce.getByRole('button', { name: 'Close step announce' }));
    await page.keyboard.press('Escape');
    await announce.waitFor({ state: 'detached' });
    expect(await page.locator('.react-flow__node[data-id="announce"]:focus').count()).toBe(1);

    // Arrows and Backspace leave the read-only graph as it was.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('ArrowDown');
    expect(await stepNode(page, 'announce').count()).toBe(1);

    // Back to the run's actions (before the graph) with Shift+Tab; Enter retries once the cause is fixed.
    await qualify(lead);
    await tabTo(page, page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Retry', exact: true }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await stepNode(page, 'convert', 'COMPLETED').waitFor();
    await status(page, 'WAITING');
    await openGate(token);
    await status(page, 'COMPLETED');
  });
});
