import { loadavg } from 'node:os';
import type { APIResponse, Page, Route, WebSocketRoute } from 'playwright-core';
import { eventually } from '../helpers/eventually.js';
import { execute } from '../helpers/graphql.js';
import {
  CancelExecutionDocument,
  CreateApiKeyDocument,
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionActionsDocument,
  ExecutionDocument,
  ExecutionsDocument,
  PublishEventDocument,
} from '../generated/graphql.js';
import { accessibleButtons, describeInBrowser, signInWithApiKey, stepNode } from './browser.js';
import { GATED, consoleHarness } from './harness.js';

describeInBrowser('the console in a real browser: a run, live', () => {
  const h = consoleHarness();

  it('shows a run step by step as it goes, live: the table, the graph, the step panel and the event log', async () => {
    const list = await h.open('admin');
    await list.page.goto('/executions');
    // Live: what happens from now on reaches the table (what happened before, the table was read after).
    await list.page.getByText('● live').waitFor();
    const token = `live-${Date.now()}`;
    const id = await h.startGatedRun(token);

    // The new run appears in the table without a reload, and its row follows its status.
    const row = list.page.locator(`tr[data-execution-id="${id}"]`);
    await row.getByText(GATED.name).waitFor();
    await row.locator('.status[data-status="WAITING"]').waitFor();

    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.locator(`tr[data-execution-id="${id}"]`).getByRole('link', { name: GATED.name }).click();
    await page.waitForURL(`**/executions/${id}`);
    await page.evaluate('window.__sameDocument = true');

    // Parked on the first gate: prepare done, the rest not started.
    await stepNode(page, 'prepare', 'COMPLETED').waitFor();
    await page.locator('[data-step="gate_one"]:not([data-status="NOT_STARTED"]):not([data-status="COMPLETED"])').waitFor();
    for (const later of ['middle', 'gate_two', 'finish'])
      expect(await stepNode(page, later).getAttribute('data-status')).toBe('NOT_STARTED');
    await page.getByText('● live').waitFor();

    // The first gate opens: the graph moves on live to the second gate, an intermediate state.
    await h.openGate('gate_one', token);
    await stepNode(page, 'middle', 'COMPLETED').waitFor();
    await stepNode(page, 'gate_one', 'COMPLETED').waitFor();
    expect(await stepNode(page, 'finish').getAttribute('data-status')).toBe('NOT_STARTED');

    // The step panel shows a step's record; a step is chosen with the keyboard too.
    await page.locator('.react-flow__node', { has: stepNode(page, 'middle') }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Step middle' });
    await panel.getByText('"halfway": true').waitFor();
    // CONSOLE_SCREENSHOT=<file.png>: a picture of a live run page, mid-run (for the README).
    if (process.env['CONSOLE_SCREENSHOT']) await page.screenshot({ path: process.env['CONSOLE_SCREENSHOT'] });

    // The second gate opens: every step completed, the run too, in the table as well.
    await h.openGate('gate_two', token);
    await stepNode(page, 'finish', 'COMPLETED').waitFor();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
    await row.locator('.status[data-status="COMPLETED"]').waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);

    // The event log: each event once, in order, without a gap.
    await page.getByRole('list', { name: 'Event log' }).getByText('execution.completed').waitFor();
    const sequences = await Promise.all(
      (await page.locator('.event-log > li').all()).map(async (item) => Number(await item.getAttribute('data-sequence'))),
    );
    expect(sequences).toEqual(sequences.map((_sequence, index) => index + 1));
  });

  it('draws a finished run of 60 steps whole, with its whole event log', async () => {
    const long = {
      name: 'console_long',
      definition: { steps: Array.from({ length: 60 }, (_, i) => ({ name: `step_${i + 1}`, type: 'transform', output: { n: i + 1 } })) },
    };
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: long }, h.server.adminHeaders));
    const id = h.admin(await execute(h.server.url, ExecuteWorkflowDocument, { name: long.name, context: {} }, h.server.adminHeaders))
      .executeWorkflow.execution.id;
    const finished = await eventually(
      'the long run completed',
      async () => (await execute(h.server.url, ExecutionDocument, { id }, h.server.adminHeaders)).data?.execution,
      (execution) => execution?.status === 'COMPLETED',
      30_000,
    );
    const { page } = await h.open('admin');
    // Chromium's main-thread counters (they start again with the document): the CPU the page spent,
    // which waiting for a CPU on a loaded machine does not inflate as it does the wall time.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const operations: string[] = [];
    page.on('request', (request) => {
      const body: unknown = request.method() === 'POST' ? request.postDataJSON() : null;
      if (typeof body === 'object' && body !== null && 'operationName' in body && typeof body.operationName === 'string')
        operations.push(body.operationName);
    });
    await page.goto(`/executions/${id}`);
    await stepNode(page, 'step_60', 'COMPLETED').waitFor();
    // Reported, not asserted: how long the run page took from navigation to its last step drawn.
    const renderedMs = Number(await page.evaluate('performance.now()'));
    const cpuMs =
      ((await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
    expect(await page.locator('.step-node[data-status="COMPLETED"]').count()).toBe(60);
    const log = page.locator('.event-log > li');
    await log.nth((finished?.lastSequence ?? 1) - 1).waitFor();
    expect(await log.count()).toBe(finished?.lastSequence);
    // A payload is written out only when opened: folded, no text; opened, the event's payload as JSON.
    const folded = log.locator('details').first();
    expect(await folded.locator('pre').count()).toBe(0);
    await folded.locator('summary').click();
    const payload = JSON.parse((await folded.locator('pre').textContent()) ?? 'null') as unknown;
    expect(typeof payload === 'object' && payload !== null && Object.keys(payload).length > 0).toBe(true);
    // The whole log (123 events) in one request, asked for beside the viewer and the run (and the records
    // its steps touched, for the Records section); nothing read twice.
    expect(operations.toSorted()).toEqual(['Me', 'Run', 'RunEvents', 'RunRecords']);
    console.info(
      `run page of 60 steps and ${finished?.lastSequence} events drawn ${Math.round(renderedMs)} ms after navigation, ` +
        `${Math.round(cpuMs)} ms of its main thread's CPU (host load ${loadavg()[0]?.toFixed(1) ?? '?'})`,
    );
  });

  it('catches up after its websocket is cut mid-run: "reconnecting" shown, then every missed event once, in order', async () => {
    const token = `cut-${Date.now()}`;
    const id = await h.startGatedRun(token);
    const { page } = await h.open('admin');
    // Every websocket of the page goes through the test: forwarded to the server, cut, or refused.
    let refuse = false;
    const forwarded: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (refuse) {
        void socket.close({ code: 1013, reason: 'refused by the test' });
        return;
      }
      forwarded.push({ page: socket, server: socket.connectToServer() });
    });
    await page.goto(`/executions/${id}`);
    await stepNode(page, 'prepare', 'COMPLETED').waitFor();
    await page.getByText('● live').waitFor();

    refuse = true;
    for (const socket of forwarded.splice(0)) {
      await socket.page.close({ code: 1001, reason: 'cut by the test' });
      await socket.server.close();
    }
    await page.getByRole('status').getByText('Reconnecting…').waitFor();
    await page.getByText('Connection lost: reconnecting').waitFor();

    // The run moves on while the page is cut off: it shows nothing of it yet.
    await h.openGate('gate_one', token);
    await eventually(
      'the run parked on gate_two',
      async () =>
        (await execute(h.server.url, ExecutionDocument, { id }, h.server.adminHeaders)).data?.execution.steps.map(
          (step) => `${step.key}:${step.status}`,
        ),
      (steps) => Boolean(steps?.includes('middle:COMPLETED')),
    );
    expect(await stepNode(page, 'middle').getAttribute('data-status')).toBe('NOT_STARTED');

    // Reconnected, it catches up from the last event it had.
    refuse = false;
    await stepNode(page, 'middle', 'COMPLETED').waitFor();
    await page.getByText('● live').waitFor();
    await page.getByText('Connection lost: reconnecting').waitFor({ state: 'detached' });
    await h.openGate('gate_two', token);
    await page.getByRole('list', { name: 'Event log' }).getByText('execution.completed').waitFor();
    const sequences = await Promise.all(
      (await page.locator('.event-log > li').all()).map(async (item) => Number(await item.getAttribute('data-sequence'))),
    );
    expect(sequences).toEqual(sequences.map((_sequence, index) => index + 1));
  });

  it('shows a failed run: the failed step coloured and open with its error, and Retry offered, then followed live again', async () => {
    const failing = {
      name: 'console_failing',
      definition: {
        steps: [
          { name: 'fine', type: 'transform', output: { ok: true } },
          { name: 'broken', type: 'transform', expression: "$error('the step broke')" },
        ],
      },
    };
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: failing }, h.server.adminHeaders));
    const id = h.admin(await execute(h.server.url, ExecuteWorkflowDocument, { name: failing.name, context: {} }, h.server.adminHeaders))
      .executeWorkflow.execution.id;
    const { page } = await h.open('admin');
    await page.goto(`/executions/${id}`);
    await stepNode(page, 'broken', 'FAILED').waitFor();
    await stepNode(page, 'fine', 'COMPLETED').waitFor();
    const recorded = await eventually(
      'the run failed',
      async () => (await execute(h.server.url, ExecutionDocument, { id }, h.server.adminHeaders)).data?.execution,
      (execution) => execution?.status === 'FAILED',
    );
    const error = recorded?.steps.find((step) => step.key === 'broken')?.error;
    expect(error?.message).toContain('the step broke');
    const panel = page.getByRole('region', { name: 'Step broken' });
    expect(await panel.getByRole('group', { name: 'Error' }).getByText(`${error?.code} ${error?.message}`).count()).toBe(1);
    const retry = page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Retry', exact: true });
    await retry.waitFor();

    // Retried from the console, the page follows the run again, live: it fails the same way, once more.
    const failures = page.getByRole('list', { name: 'Event log' }).getByText('execution.failed');
    await failures.waitFor();
    await retry.click();
    await page.getByRole('list', { name: 'Event log' }).getByText('execution.retried').waitFor();
    await failures.nth(1).waitFor();
    await page.locator('.run-header .status[data-status="FAILED"]').waitFor();
    await retry.waitFor();
  });

  it('says what started a run: the event, with its id', async () => {
    const kicked = {
      name: 'console_kicked',
      definition: { triggers: [{ event: 'console.kicked' }], steps: [{ name: 'only', type: 'transform', output: { ok: true } }] },
    };
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: kicked }, h.server.adminHeaders));
    const event = h.admin(await execute(h.server.url, PublishEventDocument, { name: 'console.kicked', payload: {} }, h.server.adminHeaders))
      .publishEvent.event;
    const started = await eventually(
      'the event started a run',
      async () =>
        (await execute(h.server.url, ExecutionsDocument, { filter: { workflow: kicked.name }, first: 1 }, h.server.adminHeaders)).data
          ?.executions.nodes[0]?.id,
      (id) => id !== undefined,
    );
    const { page } = await h.open('admin');
    await page.goto(`/executions/${started}`);
    const startedBy = page.locator('.run-facts dt:text-is("Started by") + dd');
    await startedBy.getByText('console.kicked').waitFor();
    expect(await startedBy.innerText()).toBe(`event console.kicked ${event.id}`);
  });

  it("shows an action's refusal as the server worded it", async () => {
    const token = `refused-${Date.now()}`;
    const id = await h.startGatedRun(token);
    const { page, errors } = await h.open('admin');
    // No websocket: the page cannot learn that the run was cancelled meanwhile.
    await page.routeWebSocket(/\/graphql$/, (socket) => void socket.close({ code: 1013, reason: 'refused by the test' }));
    await page.goto(`/executions/${id}`);
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    await page.getByRole('status').getByText('Reconnecting…').waitFor();
    h.admin(await execute(h.server.url, CancelExecutionDocument, { id }, h.server.adminHeaders));

    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Pause' }).click();
    const refusal = page.getByRole('toolbar', { name: 'Run actions' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe(`INVALID_STATE cannot pause execution ${id}: it is cancelled`);
    expect(errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
    errors.length = 0;
  });

  it("offers the actions availableActions allows, the ones the run's state refuses disabled with the server's reason; a view-only key is offered none", async () => {
    const token = `actions-${Date.now()}`;
    const id = await h.startGatedRun(token);
    const { key } = h.admin(
      await execute(
        h.server.url,
        CreateApiKeyDocument,
        { name: 'console viewer', permissions: ['WORKFLOW_VIEW', 'EXECUTION_VIEW'] },
        h.server.adminHeaders,
      ),
    ).createApiKey;

    const viewer = await h.open();
    await signInWithApiKey(viewer.page, key);
    await viewer.page.goto(`/executions/${id}`);
    await stepNode(viewer.page, 'prepare', 'COMPLETED').waitFor();
    await viewer.page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    expect(await viewer.page.getByRole('toolbar', { name: 'Run actions' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: /^(Cancel|Pause|Resume|Retry)$/ }).count()).toBe(0);

    // Each button as the API answers for this viewer and run: enabled, or disabled saying why.
    const asTheApiSays = async (page: Page) => {
      const answer = h.admin(await execute(h.server.url, ExecutionActionsDocument, { id }, h.server.adminHeaders)).execution;
      for (const { action, allowed, reason } of answer?.availableActions.filter((offer) => offer.action !== 'RERUN') ?? []) {
        const label = `${action.charAt(0)}${action.slice(1).toLowerCase()}`;
        expect([label, await accessibleButtons(page, label)]).toEqual([label, [{ disabled: !allowed, description: reason ?? undefined }]]);
      }
    };
    const operator = await h.open('admin');
    await operator.page.goto(`/executions/${id}`);
    const actions = operator.page.getByRole('toolbar', { name: 'Run actions' });
    await actions.getByRole('button', { name: 'Pause', exact: true, disabled: false }).waitFor();
    expect(await accessibleButtons(operator.page, 'Retry')).toEqual([{ disabled: true, description: 'it is waiting' }]);
    await asTheApiSays(operator.page);
    // Rerun, in the step panel: refused while the run goes on.
    await stepNode(operator.page, 'prepare').click();
    await operator.page
      .getByRole('region', { name: 'Step prepare' })
      .getByRole('button', { name: 'Rerun from prepare…', exact: true })
      .waitFor();
    expect(await accessibleButtons(operator.page, 'Rerun from prepare…')).toEqual([{ disabled: true, description: 'it is waiting' }]);

    await actions.getByRole('button', { name: 'Cancel', exact: true }).click();
    await operator.page.locator('.run-header .status[data-status="CANCELLED"]').waitFor();
    await actions.getByRole('button', { name: 'Cancel', exact: true, disabled: true }).waitFor();
    expect(await accessibleButtons(operator.page, 'Cancel')).toEqual([{ disabled: true, description: 'it is cancelled' }]);
    await asTheApiSays(operator.page);
    expect(await accessibleButtons(operator.page, 'Rerun from prepare…')).toEqual([{ disabled: false, description: undefined }]);

    // The viewer's page follows the cancellation live, and still offers nothing.
    await viewer.page.locator('.run-header .status[data-status="CANCELLED"]').waitFor();
    expect(await viewer.page.getByRole('button', { name: /^(Cancel|Pause|Resume|Retry|Rerun.*)$/ }).count()).toBe(0);
  });

  it("stays as new as the run's events when a command's answer arrives after them", async () => {
    const id = await h.startGatedRun(`late-answer-${Date.now()}`);
    const { page } = await h.open('admin');
    // The cancel is made, but the page's answer is the run as read just before it (the same query, as a
    // read), and is held until the page has heard the run end: an answer read before the worker acted,
    // overtaken by the event that followed.
    const held = new Promise<{ route: Route; before: APIResponse }>((resolve) => {
      void page.route('**/graphql', async (route) => {
        const request = route.request().postDataJSON() as { query?: string };
        if (!request.query?.includes('mutation CancelRun')) return route.fallback();
        const asRead = request.query.replace(
          /mutation CancelRun(\([^)]*\))\s*\{\s*cancelExecution\(/,
          'query CancelRun$1 { cancelExecution: execution(',
        );
        const before = await route.fetch({ postData: JSON.stringify({ ...request, query: asRead }) });
        await route.fetch();
        resolve({ route, before });
      });
    });
    await page.goto(`/executions/${id}`);
    const header = page.locator('.run-header .status');
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Cancel', exact: true }).click();
    const { route, before } = await held;
    expect(((await before.json()) as { data: { cancelExecution: { status: string } } }).data.cancelExecution.status).toBe('WAITING');
    await page.locator('.run-header .status[data-status="CANCELLED"]').waitFor();

    const reread = page.waitForRequest(
      (request) => (request.postDataJSON() as { query?: string } | null)?.query?.includes('query RunStatus') ?? false,
    );
    await route.fulfill({ response: before });
    await reread;
    await page.locator('.run-header .status[data-status="CANCELLED"]').waitFor();
    expect(await header.getAttribute('data-status')).toBe('CANCELLED');
  });
});
