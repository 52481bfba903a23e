import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument, PublishEventDocument } from '../../generated/graphql.js';
import { describeInBrowser } from '../browser.js';
import { GATED, consoleHarness } from '../harness.js';

/** Started by `console.signed_up`, whose payload must name the account. */
const SIGNUP = {
  name: 'console_signup',
  definition: {
    input: { type: 'object', required: ['account'], properties: { account: { type: 'string' } } },
    triggers: [{ event: 'console.signed_up' }],
    steps: [{ name: 'welcome', type: 'transform', output: { hello: '${context.account}' } }],
  },
};

describeInBrowser('the console in a real browser: events', () => {
  const h = consoleHarness();

  it('lists events with what they did (a run started, a start refused), filters them by name, and shows one with its runs', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: SIGNUP }, adminHeaders));
    const publish = async (name: string, payload: Record<string, unknown>) =>
      h.admin(await execute(url, PublishEventDocument, { name, payload }, adminHeaders)).publishEvent.event.id;
    const accepted = await publish('console.signed_up', { account: 'acme' });
    const refused = await publish('console.signed_up', { nobody: true });
    const token = `events-${Date.now()}`;
    await h.startGatedRun(token);

    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    // Dispatched: one started a run, the other's start was refused by the input schema.
    await page.locator(`tr[data-event-id="${accepted}"] [data-delivery="${SIGNUP.name}"][data-status="STARTED"]`).waitFor();
    await page
      .locator(`tr[data-event-id="${refused}"] [data-delivery="${SIGNUP.name}"][data-status="FAILED"]`)
      .getByText('VALIDATION')
      .waitFor();

    // The gate's event arrives while the page is open; the page catches it as the run moves on.
    await h.openGate('gate_one', token);
    await page.locator('tbody tr', { hasText: 'console.gate_one' }).waitFor();

    await page.getByLabel('Event name').fill('console.signed_up');
    await page.getByLabel('Event name').press('Enter');
    await page.waitForURL('**/events?name=console.signed_up');
    await page.locator('tbody tr', { hasText: 'console.gate_one' }).waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(2);

    await page.locator(`tr[data-event-id="${accepted}"]`).getByRole('link', { name: 'console.signed_up' }).click();
    await page.waitForURL(`**/events/${accepted}`);
    await page.locator('pre', { hasText: '"account": "acme"' }).waitFor();
    const started = page.locator('.event-runs').first().getByRole('link', { name: SIGNUP.name });
    await started.click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    // The run says which event started it, linking back.
    await page.locator('.run-facts').getByRole('link', { name: accepted }).click();
    await page.waitForURL(`**/events/${accepted}`);

    // The gate's event resumed the waiting run.
    await page.goto('/events?name=console.gate_one');
    await page.locator('tbody tr').getByRole('link', { name: 'console.gate_one' }).click();
    await page.getByRole('heading', { name: 'Runs it resumed' }).waitFor();
    await page.locator('.event-runs').last().getByRole('link', { name: GATED.name }).waitFor();
  });
});
