import type { Locator } from 'playwright-core';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, login, signToken } from '../helpers/auth.js';
import { execute } from '../helpers/graphql.js';
import { CreateWorkflowDocument, ExecuteWorkflowDocument } from '../generated/graphql.js';
import { describeInBrowser, signInForm, signInWithPassword } from './browser.js';
import { consoleHarness } from './harness.js';
import { expectFocusShown, isFocused, tabTo } from './keyboard.js';

describeInBrowser('the console in a real browser: sign-in, the executions table, the workflows list', () => {
  const h = consoleHarness();
  /** Saves a workflow of one quick step and runs it `count` times through the API; answers the runs' ids, oldest first. */
  const quickRuns = async (name: string, count: number): Promise<string[]> => {
    const definition = { steps: [{ name: 'only', type: 'transform', output: { ok: true } }] };
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: { name, definition } }, h.server.adminHeaders));
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const { executeWorkflow } = h.admin(
        await execute(h.server.url, ExecuteWorkflowDocument, { name, context: {} }, h.server.adminHeaders),
      );
      ids.push(executeWorkflow.execution.id);
    }
    return ids;
  };

  it('signs in with e-mail and password, says how to start a run when there is none, and stays signed in across a reload', async () => {
    const { page } = await h.open();
    await page.goto('/executions');
    await page.waitForURL('**/sign-in');
    await signInWithPassword(page, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    await page.getByText('No runs yet.').waitFor();
    await page.getByText('executeWorkflow(name:').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    expect(page.url()).toBe(`${h.origin}/executions`);
  });

  it('moves between the sign-in tabs as the WAI-ARIA tabs pattern has it (arrows, Home, End, one tab stop) and signs in by keyboard', async () => {
    const { page } = await h.open();
    await page.goto('/sign-in');
    const form = signInForm(page);
    const tabs = page.getByRole('tablist', { name: 'Sign in with' }).getByRole('tab');
    const passwordTab = page.getByRole('tab', { name: 'E-mail and password' });
    const keyTab = page.getByRole('tab', { name: 'API key' });
    /** Each tab as [name, tabindex, aria-selected]: only the selected one is in the Tab sequence. */
    const states = () =>
      tabs.evaluateAll((elements) =>
        elements.map((tab) => [tab.textContent, tab.getAttribute('tabindex'), tab.getAttribute('aria-selected')]),
      );
    const selectedIs = (name: string) => [
      ['E-mail and password', name === 'E-mail and password' ? '0' : '-1', String(name === 'E-mail and password')],
      ['API key', name === 'API key' ? '0' : '-1', String(name === 'API key')],
    ];

    // The page opens on the e-mail field; Shift+Tab reaches the selected tab, and one more leaves the tabs.
    await expectFocusShown(form.getByLabel('E-mail'));
    await page.keyboard.press('Shift+Tab');
    await expectFocusShown(passwordTab);
    expect(await states()).toEqual(selectedIs('E-mail and password'));
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(keyTab)).toBe(false);
    await page.keyboard.press('Tab');
    await expectFocusShown(passwordTab);

    // An arrow selects the next tab and shows its panel, the focus staying on the tab (not taken by the field).
    await page.keyboard.press('ArrowRight');
    await expectFocusShown(keyTab);
    expect(await states()).toEqual(selectedIs('API key'));
    const keyPanel = page.getByRole('tabpanel', { name: 'API key' });
    await keyPanel.getByLabel('API key').waitFor();
    expect(await keyTab.getAttribute('aria-controls')).toBe(await keyPanel.getAttribute('id'));
    // Round the ends both ways, then Home and End.
    const presses: Array<[string, Locator, string]> = [
      ['ArrowRight', passwordTab, 'E-mail and password'],
      ['ArrowLeft', keyTab, 'API key'],
      ['Home', passwordTab, 'E-mail and password'],
      ['End', keyTab, 'API key'],
      ['Home', passwordTab, 'E-mail and password'],
    ];
    for (const [key, tab, name] of presses) {
      await page.keyboard.press(key);
      await expectFocusShown(tab);
      expect([key, await states()]).toEqual([key, selectedIs(name)]);
    }
    await page.getByRole('tabpanel', { name: 'E-mail and password' }).getByLabel('E-mail').waitFor();

    // Tab goes from the selected tab into its panel, past the other tab; the form is sent with Enter.
    await page.keyboard.press('Tab');
    await expectFocusShown(form.getByLabel('E-mail'));
    await page.keyboard.type(TEST_ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
  });

  it('shows a wrong password as the server refused it, and a refused or expired session as "sign in again"', async () => {
    const { page, errors } = await h.open();
    await page.goto('/sign-in');
    await signInForm(page).getByLabel('E-mail').fill(TEST_ADMIN_EMAIL);
    await signInForm(page).getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('invalid e-mail or password').waitFor();

    await page.evaluate(
      `localStorage.setItem('switchyard.session', JSON.stringify({ token: 'expired-or-forged', kind: 'password', expiresAt: null }))`,
    );
    await page.goto('/executions');
    await page.getByText('Sign in again.').waitFor();
    expect(page.url()).toBe(`${h.origin}/sign-in`);
    // A token that expires while the page is open ends the session then, saying so.
    const { userId, tenantId } = await login(h.server.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    const expiresAt = new Date(Date.now() + 3_000);
    const shortLived = await signToken({ sub: userId, tid: tenantId }, { expiresAt });
    await page.evaluate(
      `localStorage.setItem('switchyard.session', ${JSON.stringify(JSON.stringify({ token: shortLived, kind: 'password', expiresAt: expiresAt.toISOString() }))})`,
    );
    await page.goto('/executions');
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.getByText('Sign in again.').waitFor();
    expect(page.url()).toBe(`${h.origin}/sign-in`);
    // The refused request itself is a 401 the browser reports; nothing else may be.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    errors.length = 0;
  });

  it('pages the executions table by cursor and filters it by workflow, status and trigger', async () => {
    const quick = { name: 'console_quick' };
    const ids = await quickRuns(quick.name, 23);
    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByLabel('Workflow').selectOption(quick.name);
    await page.waitForURL(`**/executions?workflow=${quick.name}`);
    const rows = page.locator('table.executions tbody tr');
    // Newest first, 20 a page.
    await rows.nth(19).waitFor();
    const firstPage = await Promise.all((await rows.all()).map((row) => row.getAttribute('data-execution-id')));
    expect(firstPage).toEqual(ids.slice(3).reverse());
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2').waitFor();
    await page.locator(`tr[data-execution-id="${ids[0]}"]`).waitFor();
    expect(await Promise.all((await rows.all()).map((row) => row.getAttribute('data-execution-id')))).toEqual(ids.slice(0, 3).reverse());
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.locator(`tr[data-execution-id="${ids[22]}"]`).waitFor();

    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByText('No runs match these filters.').waitFor();
    await page.getByLabel('Status').selectOption('COMPLETED');
    await page.locator(`tr[data-execution-id="${ids[22]}"] .status[data-status="COMPLETED"]`).waitFor();
    await page.getByLabel('Trigger').selectOption('EVENT');
    await page.getByText('No runs match these filters.').waitFor();
    await page.getByLabel('Trigger').selectOption('API');
    await page.locator(`tr[data-execution-id="${ids[22]}"]`).waitFor();
    expect(page.url()).toBe(`${h.origin}/executions?workflow=${quick.name}&status=COMPLETED&trigger=API`);
  });

  it('lists workflows with their last 24 hours, live, and searches them by name, tag and whether they are active', async () => {
    const tagged = {
      name: 'console_tagged',
      tags: ['billing'],
      definition: { steps: [{ name: 'only', type: 'transform', output: { ok: true } }] },
    };
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: tagged }, h.server.adminHeaders));
    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    // console_quick ran 23 times in the paging test, every run completed.
    const quick = page.locator('tr[data-workflow="console_quick"]');
    await quick.locator('[data-stat="runs"]', { hasText: /^23$/ }).waitFor();
    expect(await quick.locator('[data-stat="success-rate"]').innerText()).toBe('100 %');

    // A run more: the count moves without a reload.
    h.admin(await execute(h.server.url, ExecuteWorkflowDocument, { name: 'console_quick', context: {} }, h.server.adminHeaders));
    await quick.locator('[data-stat="runs"]', { hasText: /^24$/ }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('gated');
    await page.locator('tr[data-workflow="console_quick"]').waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.locator('tr[data-workflow="console_gated"]').waitFor();

    // By tag (kept in the URL), and by whether they are active: every one here is.
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByLabel('Tag', { exact: true }).fill('billing');
    await page.waitForURL(/[?&]tag=billing/);
    await page.locator('tr[data-workflow="console_quick"]').waitFor({ state: 'detached' });
    await page.locator('tr[data-workflow="console_tagged"]').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('combobox', { name: /^Active/ }).selectOption('no');
    await page.getByText('No workflow matches these filters.').waitFor();
    await page.getByRole('combobox', { name: /^Active/ }).selectOption('yes');
    await page.locator('tr[data-workflow="console_tagged"]').waitFor();
  });

  it("filters by what the run's context contains and by when it started, both kept in the URL", async () => {
    const mine = `ctx-${Date.now()}`;
    const id = await h.startGatedRun(mine);
    const other = await h.startGatedRun(`${mine}-other`);
    const { page } = await h.open('admin');
    await page.goto('/executions?workflow=console_gated');
    await page.locator(`tr[data-execution-id="${other}"]`).waitFor();
    const context = page.getByLabel('Context contains');
    await context.fill('{ "token": ');
    await context.press('Enter');
    await page.getByRole('alert').getByText('a JSON object').waitFor();
    await context.fill(JSON.stringify({ token: mine }));
    await context.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('context') === JSON.stringify({ token: mine }));
    // The rows of the workflow alone held both runs: the filtered answer drops the other.
    await page.locator(`tr[data-execution-id="${other}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-execution-id="${id}"]`).waitFor();
    expect(await page.locator('table.executions tbody tr').count()).toBe(1);
    await page.getByLabel('Started').selectOption('1h');
    await page.waitForURL((url) => url.searchParams.get('since') === '1h');
    await page.locator(`tr[data-execution-id="${id}"]`).waitFor();
    expect(await page.locator('table.executions tbody tr').count()).toBe(1);
  });

  it('is driven by the keyboard alone: filters set, pages turned and a run opened with Enter, the focus always shown', async () => {
    // A workflow of its own (the other tests count console_quick's runs): 21 runs, two pages.
    const keyed = { name: 'console_keyboard' };
    const ids = await quickRuns(keyed.name, 21);
    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.locator('body').focus();

    // The filters, reached with Tab and set by typing an option's first letters.
    const workflow = page.getByRole('combobox', { name: 'Workflow', exact: true });
    await workflow.getByRole('option', { name: keyed.name }).waitFor({ state: 'attached' });
    await tabTo(page, workflow);
    await expectFocusShown(workflow);
    await page.keyboard.type(keyed.name);
    await page.waitForURL((url) => url.searchParams.get('workflow') === keyed.name);
    const status = page.getByRole('combobox', { name: 'Status', exact: true });
    await tabTo(page, status, 'Shift+Tab');
    await expectFocusShown(status);
    await page.keyboard.type('completed');
    await page.waitForURL((url) => url.searchParams.get('status') === 'COMPLETED');
    const rows = page.locator('table.executions tbody tr');
    await page.locator(`tr[data-execution-id="${ids[1]}"] .status[data-status="COMPLETED"]`).waitFor();
    expect(await rows.count()).toBe(20);

    // The pager, by Tab and Enter: on the last page "Older" keeps the focus (marked disabled, not lost to the page).
    const older = page.getByRole('button', { name: 'Older →' });
    await tabTo(page, older);
    await expectFocusShown(older);
    await page.keyboard.press('Enter');
    await page.getByText('Page 2').waitFor();
    await page.locator(`tr[data-execution-id="${ids[0]}"]`).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await older.isDisabled()).toBe(true);
    await expectFocusShown(older);
    await page.keyboard.press('Enter');
    expect(await page.getByText('Page 2').count()).toBe(1);
    const newer = page.getByRole('button', { name: '← Newer' });
    await tabTo(page, newer, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Page 1').waitFor();
    await expectFocusShown(newer);

    // Back up to a row and into its run with Enter.
    const run = page.locator(`tr[data-execution-id="${ids[20]}"]`).getByRole('link', { name: keyed.name });
    await tabTo(page, run, 'Shift+Tab');
    await expectFocusShown(run);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/executions/${ids[20]}`);
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
  });
});
