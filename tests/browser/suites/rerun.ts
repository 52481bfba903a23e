import { execute } from '../../helpers/graphql.js';
import { CreateApiKeyDocument, CreateWorkflowDocument, ExecuteWorkflowDocument } from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';

const GREETER = {
  name: 'console_greeter',
  definition: {
    input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    steps: [
      { name: 'count', type: 'transform', output: { n: 1 } },
      { name: 'greet', type: 'transform', output: { greeting: 'Hello, ${context.name}' } },
    ],
  },
};

describeInBrowser("the console in a real browser: a run's relatives — reruns, child and parent runs", () => {
  const h = consoleHarness();

  it('reruns a finished run from a chosen step with an edited context, and opens the new run; a view-only key is not offered it', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: GREETER }, adminHeaders));
    const id = h.admin(await execute(url, ExecuteWorkflowDocument, { name: GREETER.name, context: { name: 'Ada' } }, adminHeaders))
      .executeWorkflow.execution.id;

    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    await stepNode(page, 'greet', 'COMPLETED').click();
    const panel = page.getByRole('region', { name: 'Step greet' });
    // The step's output (its parameters show the greeting too).
    await panel.getByText('"greeting": "Hello, Ada"').waitFor();
    await panel.getByRole('button', { name: 'Rerun from greet…' }).click();
    const form = page.getByRole('form', { name: 'Rerun from greet' });
    await form.getByLabel("Context (merged over the run's)").fill('{ "name": "Grace" }');
    // Before doing it: what the rerun would do — count replayed, greet run again, nothing outside the database.
    await form.getByRole('button', { name: 'What would it do?' }).click();
    const preview = form.getByRole('region', { name: 'What a rerun from greet would do' });
    await preview.getByText('Nothing that runs again reaches outside the database.').waitFor();
    expect(
      await preview
        .locator('tr[data-preview-step]')
        .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-preview-step'), row.getAttribute('data-fate')])),
    ).toEqual([
      ['count', 'REPLAY'],
      ['greet', 'RUN_AGAIN'],
    ]);
    await form.getByRole('button', { name: 'Rerun', exact: true }).click();
    await page.waitForURL((target) => /\/executions\/[0-9a-f-]{36}$/.test(target.pathname) && !target.pathname.endsWith(id));

    // The new run: the step before replayed, the chosen one run again with the edited context.
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    expect(await page.locator('.run-facts').innerText()).toContain('a rerun of');
    await stepNode(page, 'greet', 'COMPLETED').click();
    await page.getByRole('region', { name: 'Step greet' }).getByText('"greeting": "Hello, Grace"').waitFor();

    const { key } = h.admin(
      await execute(url, CreateApiKeyDocument, { name: 'rerun viewer', permissions: ['WORKFLOW_VIEW', 'EXECUTION_VIEW'] }, adminHeaders),
    ).createApiKey;
    const viewer = await h.open({ apiKey: key });
    await viewer.page.goto(`/executions/${id}`);
    await stepNode(viewer.page, 'greet', 'COMPLETED').click();
    await viewer.page.getByRole('region', { name: 'Step greet' }).getByText('"greeting": "Hello, Ada"').waitFor();
    expect(await viewer.page.getByRole('button', { name: /^Rerun/ }).count()).toBe(0);
  });

  it('links a run to the child runs its sub_workflow steps started, and a child back to its parent', async () => {
    const { url, adminHeaders } = h.server;
    const parent = {
      name: 'console_parent',
      definition: { steps: [{ name: 'call', type: 'sub_workflow', workflow: GREETER.name, input: { name: 'Child' } }] },
    };
    h.admin(await execute(url, CreateWorkflowDocument, { input: parent }, adminHeaders));
    const id = h.admin(await execute(url, ExecuteWorkflowDocument, { name: parent.name, context: {} }, adminHeaders)).executeWorkflow
      .execution.id;
    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    const facts = page.locator('.run-facts');
    await facts.getByText('(step call)').waitFor();
    await facts.locator('dt:text-is("Child runs") + dd').getByRole('link').click();
    await page.waitForURL((target) => !target.pathname.endsWith(id));
    await page.getByRole('heading', { name: new RegExp(GREETER.name) }).waitFor();
    await page.locator('.run-facts dt:text-is("Parent") + dd').getByRole('link', { name: id }).waitFor();
  });
});
