import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument, ExecuteWorkflowDocument, PublishEventDocument } from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';

/**
 * A saga that goes wrong: `announce` (undone by a second notification) completes, the run parks on
 * `gate`; released, `post` fails three attempts (retried), and being critical fails the run, whose
 * completed `announce` is compensated first.
 */
const SAGA = {
  name: 'console_saga',
  definition: {
    input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    steps: [
      {
        name: 'announce',
        type: 'service_call',
        service: 'notifications',
        method: 'notifyTeam',
        params: { team: 'console', subject: 'order ${context.token} placed' },
        compensate: {
          service: 'notifications',
          method: 'notifyTeam',
          params: { team: 'console', subject: 'order ${context.token} withdrawn' },
        },
      },
      { name: 'gate', type: 'wait', event: { name: 'console.saga_gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
      {
        name: 'post',
        type: 'transform',
        expression: "$error('the ledger refused the entry')",
        retry: { maxAttempts: 3, initialIntervalSeconds: 0.05, backoffRate: 1, jitter: 'none', retryOn: ['VALIDATION'] },
      },
    ],
  },
};

describeInBrowser('the console in a real browser: a run with retries and a compensation', () => {
  const h = consoleHarness();

  it('shows, live, each attempt of a retried step, then the compensation of what the run had done', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: SAGA }, adminHeaders));
    const token = `saga-${Date.now()}`;
    const id = h.admin(await execute(url, ExecuteWorkflowDocument, { name: SAGA.name, context: { token } }, adminHeaders)).executeWorkflow
      .execution.id;

    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    await page.evaluate('window.__sameDocument = true');

    // Parked on the gate: announce done and not undone; post not started; nothing compensated.
    await stepNode(page, 'announce', 'COMPLETED').waitFor();
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    await page.getByText('● live').waitFor();
    expect(await page.locator('[data-compensates="announce"]').getAttribute('data-status')).toBe('NOT_STARTED');
    expect(await stepNode(page, 'post').getAttribute('data-status')).toBe('NOT_STARTED');
    await stepNode(page, 'announce').click();
    const announce = page.getByRole('region', { name: 'Step announce' });
    await announce.getByRole('heading', { name: 'Output' }).waitFor();
    expect(await announce.getByRole('group', { name: 'Compensation' }).count()).toBe(0);

    // Released: the page follows the attempts and the compensation as they happen, without a reload.
    h.admin(await execute(url, PublishEventDocument, { name: 'console.saga_gate', payload: { token } }, adminHeaders));
    await page.locator('.run-header .status[data-status="FAILED"]').waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);

    // The retried step: three attempts, on its node, in its panel and on the timeline (two back-offs).
    const post = stepNode(page, 'post', 'FAILED');
    expect(await post.locator('.status').textContent()).toBe('failed · 3 attempts');
    const timeline = page.getByRole('region', { name: 'Timeline' }).locator('[data-timeline-step="post"]');
    // The timeline is drawn after the header (deferred, with the log): its last attempt ends when it catches up.
    await timeline.locator('[data-kind="attempt"][data-attempt="3"][data-outcome="failed"]').waitFor();
    expect(
      await timeline
        .locator('[data-kind="attempt"]')
        .evaluateAll((bars) => bars.map((bar) => `${bar.dataset['attempt']} ${bar.dataset['outcome']}`)),
    ).toEqual(['1 retrying', '2 retrying', '3 failed']);
    expect(await timeline.locator('[data-kind="backoff"]').count()).toBe(2);

    // The compensation: its own node turned completed, the step's panel says so, and so does the log.
    await page.locator('[data-compensates="announce"][data-status="COMPLETED"]').waitFor();
    const compensation = announce.getByRole('group', { name: 'Compensation' });
    await compensation.locator('.status[data-status="COMPLETED"]').waitFor();
    await page
      .getByRole('region', { name: 'Timeline' })
      .locator('[data-timeline-step="announce"] [data-kind="compensation"][data-outcome="completed"]')
      .waitFor();

    // The run's error: the last attempt's, naming the step; the step's panel counts its attempts.
    expect(await page.locator('.run > p.error-notice[role="alert"]').innerText()).toMatch(
      /^VALIDATION step post failed: .*the ledger refused the entry.* \(step post\)$/,
    );
    await post.click();
    const postPanel = page.getByRole('region', { name: 'Step post' });
    expect(await postPanel.locator('dt:text-is("Attempts") + dd').innerText()).toBe('3');
    await postPanel.getByRole('group', { name: 'Error' }).getByText('the ledger refused the entry').waitFor();

    // The event log, each event once and in order: the retries, then the compensation, then the failure.
    const log = page.getByRole('list', { name: 'Event log' });
    await log.getByText('execution.failed').waitFor();
    const entries = await log
      .locator('> li')
      .evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-sequence')} ${item.querySelector('code')?.textContent ?? ''}`),
      );
    expect(entries.map((entry) => Number(entry.split(' ')[0]))).toEqual(entries.map((_entry, index) => index + 1));
    const types = entries.map((entry) => entry.split(' ')[1]);
    expect(types.filter((type) => type === 'step.retrying')).toHaveLength(2);
    const compensated = types.indexOf('compensation.completed');
    expect(compensated).toBeGreaterThan(types.lastIndexOf('step.retrying'));
    expect(types.indexOf('execution.failed')).toBeGreaterThan(compensated);
  });
});
