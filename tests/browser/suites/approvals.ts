import { TEST_ADMIN_EMAIL } from '../../helpers/auth.js';
import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument, ExecuteWorkflowDocument } from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';

/** A refund that waits for an admin's word; what was decided is used after. */
const REFUND = {
  name: 'console_refund',
  definition: {
    input: { type: 'object', required: ['customer', 'amount'], properties: { customer: { type: 'string' }, amount: { type: 'number' } } },
    steps: [
      {
        name: 'ask',
        type: 'approval',
        prompt: 'Refund ${context.amount} EUR to ${context.customer}?',
        data: { customer: '${context.customer}', amount: '${context.amount}' },
        approvers: { roles: ['admin'] },
      },
      { name: 'pay', type: 'transform', output: { paid: '${context.amount}' } },
    ],
  },
};

describeInBrowser('the console in a real browser: approvals', () => {
  const h = consoleHarness();
  const start = async (customer: string, amount: number) =>
    h.admin(
      await execute(h.server.url, ExecuteWorkflowDocument, { name: REFUND.name, context: { customer, amount } }, h.server.adminHeaders),
    ).executeWorkflow.execution.id;

  beforeAll(async () => {
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: REFUND }, h.server.adminHeaders));
  });

  it('lists, live, the requests waiting for the viewer with their prompt and data; approved or rejected with a comment, the run goes on and its page shows the decision', async () => {
    const { page } = await h.open('admin');
    await page.goto('/approvals');
    await page.getByRole('heading', { name: 'Approvals', exact: true }).waitFor();
    await page.getByText('Nothing waits for you.', { exact: false }).waitFor();
    await page.getByText('● live', { exact: true }).waitFor();
    await page.evaluate('window.__sameDocument = true');

    // A run reaches its approval step: the request appears without a reload.
    const approved = await start('ACME', 120);
    const card = page.getByRole('article', { name: `Approval ask of run ${approved}`, exact: true });
    await card.getByText('Refund 120 EUR to ACME?', { exact: true }).waitFor();
    expect(JSON.parse(await card.locator('dt:text-is("Data") + dd pre').innerText())).toEqual({ customer: 'ACME', amount: 120 });
    expect(await card.getByRole('link', { name: approved, exact: true }).getAttribute('href')).toBe(`/executions/${approved}`);
    await card.getByRole('textbox', { name: 'Comment', exact: true }).fill('within the policy');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').getByText(`You approved ask of run ${approved}.`, { exact: true }).waitFor();
    await card.waitFor({ state: 'detached' });

    const rejected = await start('Initech', 9000);
    const second = page.getByRole('article', { name: `Approval ask of run ${rejected}`, exact: true });
    await second.getByText('Refund 9000 EUR to Initech?', { exact: true }).waitFor();
    await second.getByRole('textbox', { name: 'Comment', exact: true }).fill('too much');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.getByRole('status').getByText(`You rejected ask of run ${rejected}.`, { exact: true }).waitFor();
    await page.getByText('Nothing waits for you.', { exact: false }).waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);

    // The runs: one went on, one failed on the rejection; each page shows who decided what, and why.
    await page.goto(`/executions/${approved}`);
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    const decision = page
      .getByRole('region', { name: 'Approvals', exact: true })
      .getByRole('article', { name: 'Approval ask', exact: true });
    await decision.getByText('Refund 120 EUR to ACME?', { exact: true }).waitFor();
    expect(await decision.getByRole('list', { name: 'Decisions', exact: true }).innerText()).toMatch(
      new RegExp(`^Approved by ${TEST_ADMIN_EMAIL}, .+within the policy`),
    );
    expect(await decision.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    // The log says who decided, how, how far the request got and why; the timeline marks it on the step's row.
    const decidedLine = page
      .getByRole('list', { name: 'Event log', exact: true })
      .locator('li', { hasText: 'approval.decided' })
      .locator('.event-summary');
    expect((await decidedLine.innerText()).trim()).toBe(
      `${TEST_ADMIN_EMAIL} approved (1 of 1 approval): “within the policy” · request approved`,
    );
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    expect(
      await timeline.locator('[data-timeline-step="ask"] [data-kind="decision"][data-outcome="approved"]').getAttribute('aria-label'),
    ).toBe(`ask: decision · approved · ${TEST_ADMIN_EMAIL} approved (1 of 1 approval): “within the policy” · request approved`);
    expect(await timeline.locator('[data-timeline-step="ask"] [data-kind="waiting"]').getAttribute('aria-label')).toMatch(
      / · awaiting approval \(1 of 1 approval\)$/,
    );

    await page.goto(`/executions/${rejected}`);
    await page.locator('.run-header .status[data-status="FAILED"]').waitFor();
    await stepNode(page, 'ask', 'FAILED').waitFor();
    expect(await page.getByRole('alert').first().innerText()).toContain('APPROVAL_REJECTED');
    const refusal = page
      .getByRole('region', { name: 'Approvals', exact: true })
      .getByRole('article', { name: 'Approval ask', exact: true });
    expect(await refusal.getByRole('list', { name: 'Decisions', exact: true }).innerText()).toMatch(
      new RegExp(`^Rejected by ${TEST_ADMIN_EMAIL}, .+too much`),
    );
    await page
      .getByRole('region', { name: 'Timeline', exact: true })
      .locator('[data-timeline-step="ask"] [data-kind="decision"][data-outcome="rejected"]')
      .waitFor();
  });

  it('retries a failed run from the console and follows it live until it completes: rejected, retried, asked again and approved on the run page', async () => {
    const id = await start('Umbrella', 75);
    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    await page.evaluate('window.__sameDocument = true');
    const request = page
      .getByRole('region', { name: 'Approvals', exact: true })
      .getByRole('article', { name: 'Approval ask', exact: true });
    await request.getByRole('textbox', { name: 'Comment', exact: true }).fill('wrong amount');
    await request.getByRole('button', { name: 'Reject', exact: true }).click();

    // Rejected, the step fails and the run with it: the error is shown, and Retry is offered.
    await page.locator('.run-header .status[data-status="FAILED"]').waitFor();
    await stepNode(page, 'ask', 'FAILED').waitFor();
    await page
      .getByRole('region', { name: 'Step ask', exact: true })
      .getByRole('group', { name: 'Error', exact: true })
      .getByText('APPROVAL_REJECTED', { exact: true })
      .waitFor();
    expect(await stepNode(page, 'pay').getAttribute('data-status')).toBe('NOT_STARTED');
    const retry = page.getByRole('toolbar', { name: 'Run actions', exact: true }).getByRole('button', { name: 'Retry', exact: true });
    // Before doing it: what a retry would do — ask the approvers again, then pay for the first time.
    await page.getByRole('button', { name: 'What would Retry do?', exact: true }).click();
    const plan = page.getByRole('region', { name: 'What Retry would do', exact: true });
    await plan.locator('tr[data-preview-step="ask"][data-fate="RUN_AGAIN"]').getByText('asks people to decide').waitFor();
    expect(await plan.locator('tr[data-preview-step="pay"]').getAttribute('data-fate')).toBe('RUN');
    await retry.click();

    // Retried: the same page follows the run again — the step asks anew, is approved, and the run completes.
    const log = page.getByRole('list', { name: 'Event log', exact: true });
    await log.getByText('execution.retried', { exact: true }).waitFor();
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    await request.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    expect(await request.locator('.status').first().getAttribute('data-status')).toBe('PENDING');
    await request.getByRole('textbox', { name: 'Comment', exact: true }).fill('the amount is right');
    await request.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    await stepNode(page, 'ask', 'COMPLETED').waitFor();
    await stepNode(page, 'pay', 'COMPLETED').waitFor();
    await log.getByText('execution.completed', { exact: true }).waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await request.locator('.status').first().getAttribute('data-status')).toBe('APPROVED');
    expect(await request.getByRole('list', { name: 'Decisions', exact: true }).innerText()).toContain('the amount is right');
    expect(await request.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    expect(await retry.getAttribute('aria-disabled')).toBe('true');
    expect(await retry.getAttribute('title')).toBe('it is completed');
  });
});
