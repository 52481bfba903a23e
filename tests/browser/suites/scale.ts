import { execute } from '../../helpers/graphql.js';
import { CreateWorkflowDocument } from '../../generated/graphql.js';
import { describeInBrowser } from '../browser.js';
import { consoleHarness } from '../harness.js';

const RUNS = 10_000;
const BULK = { name: 'console_bulk', definition: { steps: [{ name: 'only', type: 'transform', output: { ok: true } }] } };

describeInBrowser(`the console in a real browser: ${RUNS.toLocaleString('en')} executions`, () => {
  const h = consoleHarness();

  it('pages the executions table and counts the workflow, timings reported', async () => {
    const { url, adminHeaders } = h.server;
    const { id: workflowId } = h.admin(await execute(url, CreateWorkflowDocument, { input: BULK }, adminHeaders)).createWorkflow;
    // Finished runs recorded straight in the database, one a second over the last hours, newest first by n.
    await h.server.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, trigger_type, created_at, started_at, completed_at, updated_at)
         select gen_random_uuid(), tenant_id, id, 1, 'completed', jsonb_build_object('n', g), 'api',
                now() - g * interval '1 second', now() - g * interval '1 second', now() - g * interval '1 second' + interval '40 milliseconds', now()
         from workflows, generate_series(1, ${RUNS}) g where id = ?`,
        [workflowId],
      );

    const { page } = await h.open('admin');
    await page.goto('/executions');
    const tableAt = Date.now();
    await page.goto(`/executions?workflow=${BULK.name}`);
    const rows = page.locator('table.executions tbody tr');
    await rows.nth(19).waitFor();
    const tableMs = Date.now() - tableAt;
    const olderAt = Date.now();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2').waitFor();
    await rows.nth(19).waitFor();
    const olderMs = Date.now() - olderAt;
    expect(await rows.count()).toBe(20);

    const listAt = Date.now();
    await page.goto('/workflows');
    await page.locator(`tr[data-workflow="${BULK.name}"] [data-stat="runs"]`, { hasText: String(RUNS) }).waitFor();
    const listMs = Date.now() - listAt;
    const pageAt = Date.now();
    await page.goto(`/workflows/${BULK.name}`);
    await page.locator('[data-stat="runs"]', { hasText: String(RUNS) }).waitFor();
    const workflowMs = Date.now() - pageAt;
    console.info(
      `with ${RUNS} executions: executions table first page ${tableMs} ms, next page ${olderMs} ms; workflows list ${listMs} ms; workflow page ${workflowMs} ms (navigation to rendered)`,
    );
  });
});
