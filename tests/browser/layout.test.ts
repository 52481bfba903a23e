import type { Locator, Page } from 'playwright-core';
import { execute } from '../helpers/graphql.js';
import { PublishEventDocument } from '../generated/graphql.js';
import { describeInBrowser, stepNode } from './browser.js';
import { GATED, consoleHarness } from './harness.js';

const WIDTH = 1280;

/** How far the page is wider than the window (0 when nothing overflows sideways). */
const overflow = async (page: Page) =>
  Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

/** The control is drawn, and wholly inside the window's width (no sideways scroll needed to reach it). */
async function inView(control: Locator, name: string): Promise<void> {
  await control.waitFor();
  const box = await control.boundingBox();
  const right = box ? box.x + box.width : Infinity;
  expect([name, box !== null && box.x >= 0 && right <= WIDTH]).toEqual([name, true]);
}

/** The text's computed font size in CSS pixels (readable: 12 or more). */
const fontSize = async (text: Locator) =>
  parseFloat((await text.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).fontSize)) ?? '0');

describeInBrowser('the console in a real browser: readable at 1280×800', () => {
  const h = consoleHarness();

  it('opens every main page without a sideways scroll, its main controls in view', async () => {
    // A long unbroken token in the run's context and its steps' input: as wide as a run's page gets.
    const token = `layout-${Date.now()}-${'x'.repeat(300)}`;
    const waiting = await h.startGatedRun(token);
    h.admin(
      await execute(h.server.url, PublishEventDocument, { name: 'console.layout_note', payload: { note: token } }, h.server.adminHeaders),
    );
    const { page } = await h.open('admin');
    const main = page.getByRole('navigation', { name: 'Main' });
    const pages: Array<{ path: string; ready: Locator; controls: Array<[string, Locator]> }> = [
      {
        path: '/executions',
        ready: page.locator(`tr[data-execution-id="${waiting}"]`),
        controls: [
          ['the status filter', page.getByLabel('Status', { exact: true })],
          ['the context filter', page.getByLabel('Context contains', { exact: true })],
          ['the run', page.locator(`tr[data-execution-id="${waiting}"] a`)],
        ],
      },
      {
        path: '/workflows',
        ready: page.getByRole('link', { name: GATED.name, exact: true }),
        controls: [['New workflow', page.getByRole('link', { name: 'New workflow', exact: true })]],
      },
      {
        path: `/workflows/${GATED.name}`,
        ready: stepNode(page, 'finish'),
        controls: [
          ['Start a run', page.getByRole('button', { name: 'Start a run', exact: true })],
          ['Edit', page.getByRole('link', { name: 'Edit', exact: true })],
          ['the last step', stepNode(page, 'finish')],
        ],
      },
      {
        path: `/workflows/${GATED.name}/edit`,
        ready: page.locator('.cm-content'),
        controls: [
          ['Save', page.getByRole('button', { name: 'Save', exact: true })],
          ['the preview', stepNode(page, 'finish')],
        ],
      },
      {
        path: `/executions/${waiting}`,
        ready: stepNode(page, 'prepare', 'COMPLETED'),
        controls: [
          ['Cancel', page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Cancel', exact: true })],
          ['the waiting step', stepNode(page, 'gate_one', 'RUNNING')],
          ['the step panel', page.getByRole('region', { name: 'Step gate_one' })],
        ],
      },
      { path: '/events', ready: page.getByText('console.layout_note', { exact: true }).first(), controls: [] },
      { path: '/schedules', ready: page.getByRole('heading', { name: 'Schedules', exact: true }), controls: [] },
      { path: '/approvals', ready: page.getByRole('heading', { name: 'Approvals', exact: true }), controls: [] },
    ];

    for (const { path, ready, controls } of pages) {
      await page.goto(path);
      await ready.waitFor();
      if (path === `/executions/${waiting}`) await stepNode(page, 'gate_one').click();
      expect([path, await overflow(page)]).toEqual([path, 0]);
      for (const [name, control] of [['Sign out', page.getByRole('button', { name: 'Sign out' })] as const, ...controls])
        await inView(control, `${path}: ${name}`);
      for (const link of await main.getByRole('link').all()) await inView(link, `${path}: menu ${await link.innerText()}`);
    }
  });

  it('opens the sign-in page, signed out, without a sideways scroll, readable, its error in view too', async () => {
    const { page } = await h.open();
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    const controls: Array<[string, Locator]> = [
      ['E-mail and password', page.getByRole('tab', { name: 'E-mail and password' })],
      ['API key', page.getByRole('tab', { name: 'API key' })],
      ['E-mail', form.getByLabel('E-mail')],
      ['Password', form.getByLabel('Password')],
      ['Sign in', form.getByRole('button', { name: 'Sign in' })],
      ['Forgot password?', page.getByRole('link', { name: 'Forgot password?' })],
    ];
    const check = async (state: string, shown: Array<[string, Locator]>) => {
      expect([state, await overflow(page)]).toEqual([state, 0]);
      for (const [name, control] of shown) {
        await inView(control, `${state}: ${name}`);
        expect([`${state}: ${name}`, (await fontSize(control)) >= 12]).toEqual([`${state}: ${name}`, true]);
      }
    };
    await check('/sign-in', controls);

    // Refused, with an address longer than the form is wide: the page stays as wide, the server's words in view.
    await form.getByLabel('E-mail').fill(`${'someone.with.a.very.long.name'.repeat(8)}@example.com`);
    await form.getByLabel('Password').fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('invalid e-mail or password').waitFor();
    await check('/sign-in refused', [...controls, ['the refusal', refusal]]);

    // The API key form, a key longer than its field pasted in.
    await page.getByRole('tab', { name: 'API key' }).click();
    await form.getByLabel('API key').fill('k'.repeat(400));
    await check('/sign-in API key', [
      ['API key', form.getByLabel('API key')],
      ['Sign in', form.getByRole('button', { name: 'Sign in' })],
    ]);
  });
});
