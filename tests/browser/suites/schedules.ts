import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument } from '../../generated/graphql.js';
import { describeInBrowser } from '../browser.js';
import { consoleHarness } from '../harness.js';

const steps = [{ name: 'tick', type: 'transform', output: { ticked: true } }];
/** Fires every second (cron with seconds), so the page has ticks to show. */
const TICKING = {
  name: 'console_ticking',
  definition: { steps, schedules: [{ name: 'every_second', cron: '* * * * * *', timezone: 'UTC', input: {} }] },
};
const YEARLY = {
  name: 'console_yearly',
  definition: { steps, schedules: [{ name: 'new_year', cron: '0 0 1 1 *', timezone: 'Europe/Berlin', input: {}, priority: 7 }] },
};

describeInBrowser('the console in a real browser: schedules', () => {
  const h = consoleHarness();

  it('lists every schedule with its next ticks and what its latest ticks did, live; pausing one stops its ticks', async () => {
    const { url, adminHeaders } = h.server;
    for (const input of [TICKING, YEARLY]) h.admin(await execute(url, CreateWorkflowDocument, { input }, adminHeaders));
    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Schedules' }).waitFor();

    const yearly = page.locator('tr[data-schedule="new_year"]');
    await yearly.getByText('Europe/Berlin').waitFor();
    expect(await yearly.locator('[data-field="next"] time').count()).toBe(3);
    await yearly.getByText('none yet').waitFor();
    // The priority of its runs among runs a concurrency limit queues; the other schedule's is the default.
    expect(await yearly.locator('[data-field="priority"]').innerText()).toBe('7');
    expect(await page.locator('tr[data-schedule="every_second"] [data-field="priority"]').innerText()).toBe('0');

    // The every-second schedule's ticks arrive while the page is open, each with the run it started.
    const ticking = page.locator('tr[data-schedule="every_second"]');
    await ticking.locator('[data-tick-status="STARTED"]').first().getByRole('link', { name: 'run' }).waitFor();
    await ticking.getByRole('button', { name: 'Pause' }).click();
    await ticking.locator('[data-field="state"]', { hasText: 'paused' }).waitFor();
    expect(await ticking.locator('[data-field="next"]').innerText()).toBe('—');

    // A tick's run link opens the run.
    await ticking.locator('[data-tick-status="STARTED"]').first().getByRole('link', { name: 'run' }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: /console_ticking/ }).waitFor();
    // It says which schedule's tick started it, and leads back to the schedules.
    await page
      .locator('.run-facts')
      .getByText(/^every_second@/)
      .waitFor();
    await page.locator('.run-facts').getByRole('link', { name: 'schedules →' }).click();
    await page.waitForURL('**/schedules');
  });
});
