import type { Page } from 'playwright-core';
import { execute } from '../helpers/graphql.js';
import { CreateApiKeyDocument, CreateWorkflowDocument, WorkflowByIdDocument } from '../generated/graphql.js';
import { describeInBrowser, stepNode } from './browser.js';
import { consoleHarness } from './harness.js';
import { isFocused, tabTo } from './keyboard.js';

const EDITABLE = {
  name: 'console_editable',
  definition: {
    steps: [
      { name: 'first', type: 'transform', output: { n: 1 } },
      { name: 'second', type: 'transform', output: { n: 2 } },
    ],
  },
};

/** Replaces the editor's whole text, as typing would. */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Definition (JSON)' }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

describeInBrowser('the console in a real browser: the definition editor', () => {
  const h = consoleHarness();

  it('shows a mistake at its JSON path as you type and saves nothing; fixed, it saves a new version', async () => {
    const { url, adminHeaders } = h.server;
    const { id } = h.admin(await execute(url, CreateWorkflowDocument, { input: EDITABLE }, adminHeaders)).createWorkflow;
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${EDITABLE.name}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`**/workflows/${EDITABLE.name}/edit`);
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.getByText('No problems.').waitFor();

    // Not JSON: said at once, and Save is not offered.
    await replaceText(page, '{ "steps": [ ');
    await problems.locator('[data-path="JSON"]').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

    // JSON, but a step of no known type: the server's issue, underlined where its path points.
    const broken = {
      steps: [EDITABLE.definition.steps[0], { name: 'second', type: 'teleport' }, { name: 'third', type: 'transform', output: { n: 3 } }],
    };
    await replaceText(page, JSON.stringify(broken, null, 2));
    const issue = problems.locator('li[data-path^="$.steps[1]"]');
    await issue.waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor();
    const underlined = await page.locator('.cm-lintRange-error').allInnerTexts();
    expect(underlined.join(' ')).toMatch(/"(type|teleport)"/);
    // The graph beside it follows the text.
    await stepNode(page, 'third').waitFor();

    // Saving anyway: the server refuses it with the same issue, and no version is made.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('VALIDATION').waitFor();
    await issue.waitFor();
    const unchanged = h.admin(await execute(url, WorkflowByIdDocument, { id }, adminHeaders)).workflow;
    expect([unchanged.version, unchanged.versions.length]).toEqual([1, 1]);

    // Fixed: no problems, saved as version 2, and the workflow's page shows it.
    await replaceText(
      page,
      JSON.stringify(
        { ...broken, steps: [broken.steps[0], { name: 'second', type: 'transform', output: { n: 2 } }, broken.steps[2]] },
        null,
        2,
      ),
    );
    await problems.getByText('No problems.').waitFor();
    await page.getByLabel('Version label').fill('2.0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/workflows/${EDITABLE.name}`);
    await page.getByRole('heading', { name: `${EDITABLE.name} v2 (2.0)` }).waitFor();
    await stepNode(page, 'third').waitFor();
  });

  it('is driven by the keyboard alone: a mistake typed, reached from its problem and fixed there, Tab out, saved', async () => {
    const { url, adminHeaders } = h.server;
    const keyed = { name: 'console_keyed_edit', definition: EDITABLE.definition };
    const { id } = h.admin(await execute(url, CreateWorkflowDocument, { input: keyed }, adminHeaders)).createWorkflow;
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${keyed.name}/edit`);
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.getByText('No problems.').waitFor();
    const text = page.getByRole('textbox', { name: 'Definition (JSON)' });

    // Into the editor with Tab: the focus shows on its box, and the editor says how to leave it.
    await page.locator('body').focus();
    await tabTo(page, text);
    expect(
      await page.locator('.cm-editor.cm-focused').evaluate((box) => box.ownerDocument.defaultView?.getComputedStyle(box).outlineStyle),
    ).not.toBe('none');
    const hint = await text.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${hint}"]`).innerText()).toMatch(/Tab leaves the editor/);

    // A step of no known type, typed in: the server's issue in the Problems list, at its path.
    await page.keyboard.press('Control+A');
    const broken = { steps: [EDITABLE.definition.steps[0], { name: 'second', type: 'teleport', output: { n: 3 } }] };
    await page.keyboard.insertText(JSON.stringify(broken, null, 2));
    const issue = problems.getByRole('button', { name: '$.steps[1].type' });
    await issue.waitFor();

    // Tab leaves the editor (no tab character typed), on through the preview to the problem; Enter
    // takes the focus back to where it points, the key "type" of the second step selected.
    // (Read from the document's focus: CodeMirror moves its own cm-focused class 10 ms after a blur.)
    await page.keyboard.press('Tab');
    expect(await page.evaluate("!document.activeElement?.closest('.cm-editor')")).toBe(true);
    expect(await text.innerText()).not.toMatch(/\t/);
    await tabTo(page, issue);
    await page.keyboard.press('Enter');
    await page.locator('.cm-editor.cm-focused').waitFor();
    expect(await page.evaluate('document.getSelection().toString()')).toBe('"type"');

    // Fixed where it stands: to the line's end, back over `",`, the word replaced.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 'teleport'.length; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.type('transform');
    await problems.getByText('No problems.').waitFor();

    // Out with Shift+Tab to the version label and Save, and saved with Enter.
    await tabTo(page, page.getByLabel('Version label'), 'Shift+Tab');
    await page.keyboard.type('2.0');
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('button', { name: 'Save' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/workflows/${keyed.name}`);
    await page.getByRole('heading', { name: `${keyed.name} v2 (2.0)` }).waitFor();
    const saved = h.admin(await execute(url, WorkflowByIdDocument, { id }, adminHeaders)).workflow;
    expect([saved.version, saved.definition]).toEqual([
      2,
      { steps: [EDITABLE.definition.steps[0], { name: 'second', type: 'transform', output: { n: 3 } }] },
    ]);
  });

  it('makes a new workflow from the starter definition; a view-only key is offered no editing', async () => {
    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByRole('region', { name: 'Problems' }).getByText('No problems.').waitFor();
    await stepNode(page, 'hello').waitFor();
    await page.getByLabel('Name').fill('console_fresh');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/workflows/console_fresh');
    await page.getByRole('heading', { name: 'console_fresh v1' }).waitFor();

    const { key } = h.admin(
      await execute(
        h.server.url,
        CreateApiKeyDocument,
        { name: 'editor viewer', permissions: ['WORKFLOW_VIEW', 'EXECUTION_VIEW'] },
        h.server.adminHeaders,
      ),
    ).createApiKey;
    const viewer = await h.open({ apiKey: key });
    await viewer.page.goto('/workflows/console_fresh');
    await stepNode(viewer.page, 'hello').waitFor();
    expect(await viewer.page.getByRole('link', { name: /^(Edit|New workflow)$/ }).count()).toBe(0);
    await viewer.page.goto('/workflows/console_fresh/edit');
    await viewer.page.getByText('Editing workflows needs the WORKFLOW_CREATE permission.').waitFor();
  });

  it("opens the current version as its author wrote it, keys in their order (which jsonb's shorter-first order is not)", async () => {
    const written = {
      steps: [
        { type: 'service_call', name: 'lookup', service: 'customer', method: 'getCustomer', params: { customerId: '${context.id}' } },
      ],
      input: { type: 'object', properties: { id: { type: 'string' } } },
    };
    h.admin(
      await execute(
        h.server.url,
        CreateWorkflowDocument,
        { input: { name: 'console_written', definition: written } },
        h.server.adminHeaders,
      ),
    );
    const { page } = await h.open('admin');
    await page.goto('/workflows/console_written/edit');
    const lines = page.getByRole('textbox', { name: 'Definition (JSON)' }).locator('.cm-line');
    await lines.first().waitFor();
    expect((await lines.allTextContents()).join('\n')).toBe(JSON.stringify(written, null, 2));
  });

  it('dry runs the definition being edited: the path, why each step ran or was skipped, resolved parameters, and the calls no mock answered', async () => {
    const { page } = await h.open('admin');
    await page.goto('/workflows/new');
    await page.getByRole('region', { name: 'Problems' }).getByText('No problems.').waitFor();
    const definition = {
      steps: [
        {
          name: 'check',
          type: 'condition',
          expression: 'context.amount > 100',
          then: [
            {
              name: 'subscribe',
              type: 'service_call',
              service: 'billing',
              method: 'createSubscription',
              params: { customerId: '${context.customer}', planId: 'basic', tenantId: 'default' },
            },
          ],
          else: [{ name: 'small', type: 'transform', output: { small: true } }],
        },
        { name: 'note', type: 'transform', output: { total: '${context.amount}' } },
      ],
    };
    await replaceText(page, JSON.stringify(definition, null, 2));
    await page.getByRole('region', { name: 'Problems' }).getByText('No problems.').waitFor();

    const panel = page.getByRole('region', { name: 'Dry run' });
    await panel.getByLabel('Context (JSON)').fill(JSON.stringify({ amount: 500, customer: '00000000-0000-4000-8000-000000000001' }));
    await panel.getByRole('button', { name: 'Dry run', exact: true }).click();
    const steps = panel.getByRole('table', { name: 'Simulated steps' });
    await steps.locator('tr[data-simulated-step="note"][data-status="COMPLETED"]').waitFor();
    // The condition took `then`: subscribe ran (its call reported, never made), small was skipped.
    expect(await steps.locator('tr[data-simulated-step="check"] [data-field="why"]').innerText()).toMatch(/context\.amount > 100.*→ then/);
    expect(await steps.locator('tr[data-simulated-step="small"]').getAttribute('data-status')).toBe('SKIPPED');
    expect(await panel.locator('[data-unmocked]').getAttribute('data-unmocked')).toBe('billing.createSubscription');
    expect(await steps.locator('tr[data-simulated-step="subscribe"]').innerText()).toContain('(not mocked)');
    expect(await steps.locator('tr[data-simulated-step="note"] [data-field="parameters"]').innerText()).toMatch(
      /\$\.output\.total \$\{context\.amount\} → 500/,
    );
    expect((await panel.locator('[data-path]').getAttribute('data-path'))?.split(' ')).toEqual(
      expect.arrayContaining(['check', 'subscribe', 'note']),
    );

    // Mocked, the call is answered by the mock: nothing is left unmocked.
    await panel.getByLabel(/^Mocks/).fill(JSON.stringify({ 'billing.createSubscription': { subscriptionId: 'sub-1' } }));
    await panel.getByRole('button', { name: 'Dry run', exact: true }).click();
    await steps.locator('tr[data-simulated-step="subscribe"]', { hasText: '(mocked)' }).waitFor();
    expect(await panel.locator('[data-unmocked]').count()).toBe(0);
    expect(await steps.locator('tr[data-simulated-step="subscribe"]').innerText()).toContain('sub-1');
  });
});
