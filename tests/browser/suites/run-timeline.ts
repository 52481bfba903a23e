import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument, ExecuteWorkflowDocument, PublishEventDocument } from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';

/**
 * A step that fails three attempts (retried at once), then a wait that holds until the test publishes its
 * event. One run at a time: a second run waits queued until the first ends.
 */
const TIMED = {
  name: 'console_timeline',
  definition: {
    concurrency: { limit: 1 },
    input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    steps: [
      {
        name: 'flaky',
        type: 'transform',
        expression: "$error('always fails')",
        critical: false,
        retry: { maxAttempts: 3, initialIntervalSeconds: 0.05, backoffRate: 1, jitter: 'none', retryOn: ['VALIDATION'] },
      },
      { name: 'gate', type: 'wait', event: { name: 'console.timeline_gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
      { name: 'finish', type: 'transform', output: { done: true } },
    ],
  },
};

/** A `when` and a template, then a wait the test ends, then a condition: why each went its way, on the step panel. */
const WHY = {
  name: 'console_why',
  definition: {
    input: { type: 'object', required: ['token', 'total'], properties: { token: { type: 'string' }, total: { type: 'number' } } },
    steps: [
      { name: 'order', type: 'transform', when: 'context.total > 0', output: { label: 'order of ${context.total}' } },
      { name: 'gate', type: 'wait', event: { name: 'console.why_gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
      {
        name: 'big',
        type: 'condition',
        expression: 'context.total > 1000',
        then: [{ name: 'review', type: 'transform', output: { review: true } }],
        else: [{ name: 'fast', type: 'transform', output: { fast: true } }],
      },
    ],
  },
};

describeInBrowser("the console in a real browser: a run's timeline", () => {
  const h = consoleHarness();

  it('draws every attempt and back-off, a wait that grows live until its event arrives, and a run queued until a slot frees', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: TIMED }, adminHeaders));
    const token = `timeline-${Date.now()}`;
    const start = async (context: { token: string }) =>
      h.admin(await execute(url, ExecuteWorkflowDocument, { name: TIMED.name, context }, adminHeaders)).executeWorkflow.execution.id;
    const id = await start({ token });
    // The second run waits for the first's slot: its page, left open, shows the spell queued and growing.
    const queuedPage = (await h.open('admin')).page;
    await queuedPage.goto(`/executions/${await start({ token: `${token}-next` })}`);
    const queuedSpell = queuedPage.getByRole('region', { name: 'Timeline' }).locator('[data-timeline-step="run"] [data-kind="queued"]');
    await queuedSpell.and(queuedPage.locator('[data-open="true"]')).waitFor();
    // Why it waits: the run's concurrency group, and its priority among the queued.
    await queuedPage
      .locator('[data-field="concurrency"]', { hasText: /^at most 1 at once \(the whole workflow\) · waiting for a slot$/ })
      .waitFor();
    expect(await queuedPage.locator('[data-field="priority"]').innerText()).toBe('0');
    await queuedPage
      .getByRole('list', { name: 'Event log' })
      .locator('li', { hasText: 'execution.queued' })
      .getByText('queued behind its concurrency limit')
      .waitFor();

    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });

    // Three attempts of flaky, a back-off between each two, the last one failed.
    const flaky = timeline.locator('[data-timeline-step="flaky"]');
    await flaky.locator('[data-kind="attempt"][data-attempt="3"][data-outcome="failed"]').waitFor();
    expect(
      await flaky
        .locator('[data-kind="attempt"]')
        .evaluateAll((bars) => bars.map((bar) => `${bar.dataset['attempt']} ${bar.dataset['outcome']}`)),
    ).toEqual(['1 retrying', '2 retrying', '3 failed']);
    expect(await flaky.locator('[data-kind="backoff"]').count()).toBe(2);

    // The gate waits, and the run is parked: both bars open, growing with the clock.
    const waiting = timeline.locator('[data-timeline-step="gate"] [data-kind="waiting"][data-open="true"]');
    await waiting.waitFor();
    await timeline.locator('[data-timeline-step="run"] [data-kind="parked"][data-open="true"]').waitFor();
    const width = await waiting.evaluate((bar) => bar.style.width);
    await eventually(
      'the open wait bar grows',
      () => waiting.evaluate((bar) => bar.style.width),
      (now) => now !== width,
    );

    // A step's row label opens its panel.
    await flaky.getByRole('button', { name: 'flaky' }).click();
    await page.getByRole('region', { name: 'Step flaky' }).getByText('always fails').first().waitFor();

    // The event arrives: the wait ends completed, finish runs, the bars stop growing.
    h.admin(await execute(url, PublishEventDocument, { name: 'console.timeline_gate', payload: { token } }, adminHeaders));
    await timeline.locator('[data-timeline-step="gate"] [data-kind="waiting"][data-outcome="completed"][data-open="false"]').waitFor();
    await timeline.locator('[data-timeline-step="finish"] [data-kind="attempt"][data-outcome="completed"]').waitFor();
    await stepNode(page, 'finish', 'COMPLETED').waitFor();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    expect(await timeline.locator('[data-open="true"]').count()).toBe(0);

    // The first run ended: the second took its slot and started, live on its page; its queued spell closed.
    await queuedSpell.and(queuedPage.locator('[data-outcome="started"][data-open="false"]')).waitFor();
    await stepNode(queuedPage, 'flaky', 'FAILED').waitFor();
    await queuedPage.locator('[data-field="concurrency"]', { hasText: /^at most 1 at once \(the whole workflow\)$/ }).waitFor();
    expect(await queuedSpell.getAttribute('aria-label')).toMatch(/^run: queued · started · /);
  });

  it('the step panel says why a step ran and what its templates came to, and a step that starts while it is open says it too', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: WHY }, adminHeaders));
    const token = `why-${Date.now()}`;
    const id = h.admin(await execute(url, ExecuteWorkflowDocument, { name: WHY.name, context: { token, total: 1500 } }, adminHeaders))
      .executeWorkflow.execution.id;
    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);

    await stepNode(page, 'order', 'COMPLETED').click();
    const order = page.getByRole('region', { name: 'Step order' });
    await order.getByRole('group', { name: 'Why' }).getByText('when context.total > 0 = true → ran').waitFor();
    await order
      .getByRole('group', { name: 'Resolved parameters' })
      .getByText('$.output.label order of ${context.total} → "order of 1500"')
      .waitFor();

    // The condition has not run yet: its panel, left open, fills in when the event lets the run go on.
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    await stepNode(page, 'big').click();
    const big = page.getByRole('region', { name: 'Step big' });
    await big.getByText('Not started yet.').waitFor();
    h.admin(await execute(url, PublishEventDocument, { name: 'console.why_gate', payload: { token } }, adminHeaders));
    await big.getByRole('group', { name: 'Why' }).getByText('condition context.total > 1000 = true → then').waitFor();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    expect(await big.getByRole('group', { name: 'Resolved parameters' }).count()).toBe(0);
  });
});
