import { execute } from '../../helpers/graphql.js';
import {
  CreateWorkflowDocument,
  DomainCreateCustomerDocument,
  DomainCreatePlanDocument,
  ExecuteWorkflowDocument,
} from '../../generated/graphql.js';
import { describeInBrowser } from '../browser.js';
import { consoleHarness } from '../harness.js';

/** Subscribes a customer to a plan, then extends the subscription: one record created by one step, changed by the next. */
const SUBSCRIBE = {
  name: 'console_lineage',
  definition: {
    input: { type: 'object', required: ['customer_id', 'plan'], properties: { customer_id: { type: 'string' }, plan: { type: 'string' } } },
    steps: [
      {
        name: 'subscribe',
        type: 'service_call',
        service: 'billing',
        method: 'createSubscription',
        params: { customerId: '${context.customer_id}', planId: '${context.plan}', tenantId: 'default' },
      },
      {
        name: 'extend',
        type: 'service_call',
        service: 'billing',
        method: 'extendSubscription',
        params: { subscriptionId: '${steps.subscribe.output.subscriptionId}', extensionPeriod: 1 },
      },
    ],
  },
};

describeInBrowser('the console in a real browser: lineage', () => {
  const h = consoleHarness();

  it("lists the records a run touched, and a record's page links back to the run and step that created and changed it", async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: SUBSCRIBE }, adminHeaders));
    h.admin(
      await execute(
        url,
        DomainCreatePlanDocument,
        { input: { code: 'console-basic', name: 'Basic', billingCycle: 'MONTHLY', priceAmount: 1000, currency: 'USD' } },
        adminHeaders,
      ),
    );
    // Made through the API: no run created the customer.
    const customer = h.admin(
      await execute(
        url,
        DomainCreateCustomerDocument,
        { input: { name: 'Ada Lineage', email: `ada-${Date.now()}@example.com` } },
        adminHeaders,
      ),
    ).createCustomer;
    const runId = h.admin(
      await execute(
        url,
        ExecuteWorkflowDocument,
        { name: SUBSCRIBE.name, context: { customer_id: customer.id, plan: 'console-basic' } },
        adminHeaders,
      ),
    ).executeWorkflow.execution.id;

    // The run's page: the subscription, created by one step and changed by the next.
    const { page } = await h.open('admin');
    await page.goto(`/executions/${runId}`);
    const records = page.getByRole('region', { name: 'Records' });
    const rows = records.locator('tr[data-record^="SUBSCRIPTION:"]');
    await rows.nth(1).waitFor();
    expect(
      await rows.evaluateAll((cells) => cells.map((row) => [...row.querySelectorAll('td')].slice(1, 3).map((cell) => cell.textContent))),
    ).toEqual([
      ['subscribe', 'created'],
      ['extend', 'updated'],
    ]);
    const subscriptionId = (await rows.first().getAttribute('data-record'))?.split(':')[1] ?? '';

    // The subscription's page: created by the run's step, changed by the next, each a link to the run.
    await rows.first().getByRole('link', { name: subscriptionId }).click();
    await page.waitForURL(`**/records/subscription/${subscriptionId}`);
    const origin = page.locator('.record-origin [data-origin-run]');
    await origin.waitFor();
    expect(await origin.getAttribute('data-origin-run')).toBe(runId);
    expect(await origin.innerText()).toMatch(new RegExp(`^created by run ${SUBSCRIBE.name} ${runId.slice(0, 8)}, step subscribe$`));
    const touches = page.getByRole('table', { name: 'Runs that touched it' }).locator('tbody tr');
    expect(
      await touches.evaluateAll((cells) =>
        cells.map((row) => [row.getAttribute('data-touch-run'), row.getAttribute('data-touch-step'), row.lastElementChild?.textContent]),
      ),
    ).toEqual([
      [runId, 'subscribe', 'created'],
      [runId, 'extend', 'updated'],
    ]);

    // The customer's page: made by no run; its subscription names the run and step that created it.
    await page.goto(`/records/customer/${customer.id}`);
    await page.getByRole('heading', { name: 'Ada Lineage customer' }).waitFor();
    await page.locator('.record-origin', { hasText: 'not created by a workflow run' }).waitFor();
    const subscriptionRow = page
      .getByRole('table', { name: 'Customer records' })
      .locator(`tr[data-record="SUBSCRIPTION:${subscriptionId}"]`);
    await subscriptionRow.getByText('created by run').waitFor();
    expect(await subscriptionRow.locator('[data-origin-run]').getAttribute('data-origin-step')).toBe('subscribe');

    // Back to the run from there.
    await subscriptionRow.getByRole('link', { name: new RegExp(`^${SUBSCRIBE.name} `) }).click();
    await page.waitForURL(`**/executions/${runId}`);
    await records.locator('tr[data-record^="SUBSCRIPTION:"]').first().waitFor();
  });
});
