import { randomUUID } from 'node:crypto';
import { LEAD_TO_OPPORTUNITY } from '../../src/workflows/lead-to-opportunity.js';
import { eventually } from '../helpers/eventually.js';
import { execute } from '../helpers/graphql.js';
import {
  CreateApiKeyDocument,
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  PublishEventDocument,
  RestoreBuiltInWorkflowDocument,
  UpdateWorkflowDocument,
} from '../generated/graphql.js';
import { describeInBrowser, stepNode } from './browser.js';
import { consoleHarness } from './harness.js';
import { expectFocusShown, tabTo } from './keyboard.js';

const CHILD = { name: 'console_child', definition: { steps: [{ name: 'hello', type: 'transform', output: { hello: true } }] } };

/** Fails its first step when asked to; compensates a network allocation it makes only when asked to; starts a child. */
const SHOP = {
  name: 'console_shop',
  definition: {
    input: {
      type: 'object',
      required: ['sku'],
      properties: { sku: { type: 'string' }, fail: { type: 'boolean' }, reserve: { type: 'boolean' } },
    },
    triggers: [{ event: 'console.order_placed', filter: "event.channel = 'web'", priority: 3 }],
    schedules: [{ name: 'yearly', cron: '0 0 1 1 *', timezone: 'UTC', input: { sku: 'annual' } }],
    steps: [
      { name: 'check', type: 'transform', expression: "context.fail = true ? $error('asked to fail') : { 'ok': true }" },
      {
        name: 'maybe_reserve',
        type: 'condition',
        expression: 'context.reserve = true',
        then: [
          {
            name: 'allocate',
            type: 'service_call',
            service: 'network',
            method: 'allocateResources',
            params: { customerId: '${context.customer_id}', serviceLocation: 'demo-pop-1', bandwidthPlan: '100M/20M' },
            compensate: { service: 'network', method: 'releaseResources', params: { serviceId: '${steps.allocate.output.serviceId}' } },
          },
        ],
      },
      { name: 'child', type: 'sub_workflow', workflow: CHILD.name, input: {} },
    ],
  },
};

/** One run at a time; each parks on an event the test publishes for its token. */
const LIMITED = {
  name: 'console_limited',
  definition: {
    concurrency: { limit: 1 },
    input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    steps: [
      { name: 'gate', type: 'wait', event: { name: 'console.limited_gate', match: 'event.token = context.token', timeoutSeconds: 600 } },
    ],
  },
};

/** An input schema, a trigger, a schedule and (after the test's update) two versions: every part of the page. */
const KEYED = {
  name: 'console_keyed',
  definition: {
    input: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
    triggers: [{ event: 'console.keyed_order' }],
    schedules: [{ name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', input: { sku: 'nightly' } }],
    steps: [{ name: 'pick', type: 'transform', output: { sku: '${context.sku}' } }],
  },
};

/** A Run form of three fields, in this order: the schema reports a missing `plan` before a too short `sku`, the form shows `sku` first. */
const FORMED = {
  name: 'console_formed',
  definition: {
    input: {
      type: 'object',
      required: ['plan'],
      properties: { sku: { type: 'string', minLength: 3 }, plan: { enum: ['basic', 'pro'] }, seats: { type: 'integer', minimum: 1 } },
    },
    steps: [{ name: 'only', type: 'transform', output: { seats: '${context.seats}' } }],
  },
};

/** Keys in an order jsonb would not keep (shorter first, then bytewise), as its author wrote them. */
const ORDERED = {
  name: 'console_ordered',
  definition: {
    steps: [{ type: 'transform', name: 'greet', output: { greeting: 'Hello ${context.customer_id}' } }],
    input: { type: 'object', properties: { customer_id: { type: 'string' }, email: { type: 'string' }, plan: { enum: ['basic', 'pro'] } } },
  },
};

describeInBrowser("the console in a real browser: a workflow's page", () => {
  const h = consoleHarness();

  it('shows its stats live as runs queue behind its concurrency limit, start and finish (workflowStatsChanged)', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: LIMITED }, adminHeaders));
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${LIMITED.name}`);
    await page.getByText('No runs yet').waitFor();
    const stat = (key: string, value: string) => page.locator(`[data-stat="${key}"]`, { hasText: new RegExp(`^${value}$`) }).waitFor();

    // Three runs through the API, the page untouched: one in progress (parked on its gate), two queued.
    const tokens = ['a', 'b', 'c'].map((suffix) => `limited-${Date.now()}-${suffix}`);
    const ids: string[] = [];
    for (const token of tokens)
      ids.push(
        h.admin(await execute(url, ExecuteWorkflowDocument, { name: LIMITED.name, context: { token } }, adminHeaders)).executeWorkflow
          .execution.id,
      );
    await page.locator('.stats[data-live="true"]').waitFor();
    await stat('runs', '3');
    await stat('running', '1');
    await stat('queued', '2');

    // Each gate opened (once its run waits there) ends a run and the next takes its slot, until none is queued.
    for (const [index, token] of tokens.entries()) {
      const id = ids[index] ?? '';
      await eventually(
        `run ${token} parked on its gate`,
        async () => h.admin(await execute(url, ExecutionDocument, { id }, adminHeaders)).execution?.status,
        (status) => status === 'WAITING',
      );
      h.admin(await execute(url, PublishEventDocument, { name: 'console.limited_gate', payload: { token } }, adminHeaders));
      await stat('completed', String(index + 1));
      await stat('queued', String(Math.max(0, tokens.length - index - 2)));
    }
    await stat('running', '0');
    await stat('success-rate', '100 %');
    expect(await page.locator('[data-stat="p95"]').innerText()).not.toBe('—');
  });

  it('draws the definition (compensations apart, sub-workflows linked), its step failures, triggers, schedules and a diff of two versions', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: CHILD }, adminHeaders));
    h.admin(await execute(url, CreateWorkflowDocument, { input: SHOP }, adminHeaders));
    const [check, ...rest] = SHOP.definition.steps;
    const v2 = { ...SHOP.definition, steps: [check, { name: 'note', type: 'transform', output: { noted: true } }, ...rest] };
    h.admin(await execute(url, UpdateWorkflowDocument, { input: { name: SHOP.name, definition: v2, version: '2.0' } }, adminHeaders));
    h.admin(await execute(url, ExecuteWorkflowDocument, { name: SHOP.name, context: { sku: 'x', fail: true } }, adminHeaders));

    const { page } = await h.open('admin');
    await page.goto('/executions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: SHOP.name, exact: true }).click();
    await page.waitForURL(`**/workflows/${SHOP.name}`);
    await page.getByRole('heading', { name: `${SHOP.name} v2 (2.0)` }).waitFor();

    // The graph: every step, the compensation as a node of its own on a dashed edge.
    for (const step of ['check', 'note', 'maybe_reserve', 'allocate', 'child']) await stepNode(page, step).waitFor();
    await page.locator('[data-compensates="allocate"]').getByText('network.releaseResources').waitFor();
    expect(await page.locator('.react-flow__edge.compensation-edge').count()).toBe(1);

    // The failed run counts against its step, in the table and on the node.
    await page.locator('[data-failed-step="check"]').getByText('1', { exact: true }).waitFor();
    await stepNode(page, 'check').getByText('1 failure').waitFor();
    expect(await page.locator('[data-stat="failed"]').innerText()).toBe('1');

    await page.locator('[data-trigger="console.order_placed"]').getByText("event.channel = 'web'").waitFor();
    expect((await page.locator('[data-trigger="console.order_placed"] [data-field="priority"]').innerText()).trim()).toBe('at priority 3');

    // A schedule: its next ticks, paused and resumed from the page.
    const schedule = page.locator('tr[data-schedule="yearly"]');
    expect(await schedule.locator('[data-field="next"]').innerText()).not.toBe('—');
    await schedule.getByRole('button', { name: 'Pause' }).click();
    await schedule.locator('[data-field="state"]', { hasText: 'paused' }).waitFor();
    expect(await schedule.locator('[data-field="next"]').innerText()).toBe('—');
    await schedule.getByRole('button', { name: 'Resume' }).click();
    await schedule.locator('[data-field="state"]', { hasText: 'active' }).waitFor();

    // Versions: v1 against v2 by default, the added step on the right only.
    const diff = page.getByRole('table', { name: 'Differences from v1 to v2' });
    await diff.locator('td[data-changed="true"]', { hasText: '"name": "note"' }).waitFor();
    expect(await diff.locator('td[data-changed="true"]', { hasText: '"name": "note"' }).evaluate((cell) => cell.cellIndex)).toBeGreaterThan(
      1,
    );
    await page.getByRole('combobox', { name: 'From version' }).selectOption('2');
    await page.getByText('No differences.').waitFor();

    // A sub-workflow step links to that workflow's page.
    await stepNode(page, 'child')
      .getByRole('link', { name: `${CHILD.name} →` })
      .click();
    await page.waitForURL(`**/workflows/${CHILD.name}`);
    await stepNode(page, 'hello').waitFor();
    await page.getByText('One version so far').waitFor();
  });

  it('starts a built-in workflow from the form its input schema makes, refusing a bad input in the browser, then shows the run live', async () => {
    // lead_to_opportunity, as this release ships it (test servers seed no built-ins): it waits for the
    // opportunity's close, so the run holds an intermediate state until the test closes it.
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, RestoreBuiltInWorkflowDocument, { name: LEAD_TO_OPPORTUNITY }, adminHeaders));
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${LEAD_TO_OPPORTUNITY}`);
    await page.getByRole('button', { name: 'Start a run' }).click();
    const form = page.getByRole('form', { name: 'Run this workflow' });
    const opportunity = form.getByLabel('opportunity_id');
    // Its schema asks for a UUID: the browser checks the format with the same schema, and nothing is sent.
    await opportunity.fill('not-an-id');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await form.getByRole('alert').getByText('opportunity_id: String does not match format "uuid"', { exact: false }).waitFor();
    await expectFocusShown(opportunity);
    expect(page.url()).toBe(`${h.origin}/workflows/${LEAD_TO_OPPORTUNITY}`);

    const opportunityId = randomUUID();
    await opportunity.fill(opportunityId);
    await form.getByLabel('Idempotency key (optional)').fill(`key-${opportunityId}`);
    await form.getByLabel(/^Priority/).fill('5');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);

    // The run, live: both waits parked on the close, what follows not started.
    await stepNode(page, 'wait_for_close', 'RUNNING').waitFor();
    await stepNode(page, 'wait_thirty_days', 'RUNNING').waitFor();
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    expect(await page.locator('[data-field="priority"]').innerText()).toBe('5');
    expect(await stepNode(page, 'outcome').getAttribute('data-status')).toBe('NOT_STARTED');
    // Lost: both waits end, no follow-up task and no invoice (skipped), the outcome recorded.
    h.admin(
      await execute(
        url,
        PublishEventDocument,
        { name: 'opportunity.stage_changed', payload: { opportunityId, stage: 'closed_lost' } },
        adminHeaders,
      ),
    );
    await stepNode(page, 'wait_for_close', 'COMPLETED').waitFor();
    await stepNode(page, 'outcome', 'COMPLETED').waitFor();
    await stepNode(page, 'follow_up_open', 'SKIPPED').waitFor();
    await stepNode(page, 'request_invoice', 'SKIPPED').waitFor();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
  });

  it('is driven by the keyboard alone: each part reached from "On this page", a schedule paused and resumed, a run started', async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: KEYED }, adminHeaders));
    const v2 = { ...KEYED.definition, steps: [...KEYED.definition.steps, { name: 'pack', type: 'transform', output: { packed: true } }] };
    h.admin(await execute(url, UpdateWorkflowDocument, { input: { name: KEYED.name, definition: v2 } }, adminHeaders));
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${KEYED.name}`);
    await page.getByRole('heading', { name: `${KEYED.name} v2` }).waitFor();
    await page.locator('tr[data-schedule="nightly"]').waitFor();
    await page.locator('body').focus();
    const sections = page.getByRole('navigation', { name: 'On this page' });
    /** Tab (or Shift+Tab) to the section's link, Enter: the section has the focus, shown. */
    const jumpTo = async (name: string, key: 'Tab' | 'Shift+Tab') => {
      await tabTo(page, sections.getByRole('link', { name, exact: true }), key);
      await page.keyboard.press('Enter');
      const section = page.getByRole('region', { name, exact: true });
      await expectFocusShown(section);
      return section;
    };

    // Schedules: the next Tabs reach Pause; Enter pauses, and the same button, now Resume, keeps the focus.
    const schedules = await jumpTo('Schedules', 'Tab');
    const pause = schedules.getByRole('button', { name: 'Pause', exact: true });
    await tabTo(page, pause, 'Tab', 3);
    await page.keyboard.press('Enter');
    await schedules.locator('[data-field="state"]', { hasText: 'paused' }).waitFor();
    const resume = schedules.getByRole('button', { name: 'Resume', exact: true });
    await expectFocusShown(resume);
    await page.keyboard.press('Enter');
    await schedules.locator('[data-field="state"]', { hasText: 'active' }).waitFor();
    await expectFocusShown(pause);

    // Versions: the diff of v1 and v2 shows the added step; the "From" picker set to v2 by typing leaves none.
    const versions = await jumpTo('Versions', 'Shift+Tab');
    await versions.locator('td[data-changed="true"]', { hasText: '"name": "pack"' }).waitFor();
    const from = versions.getByRole('combobox', { name: 'From version' });
    await tabTo(page, from, 'Tab', 3);
    await page.keyboard.type('v2');
    await versions.getByText('No differences.').waitFor();

    // Triggers, stats and the graph: each reached the same way; in the graph the next Tab is on a step.
    await (await jumpTo('Triggers', 'Shift+Tab')).locator('[data-trigger="console.keyed_order"]').waitFor();
    await (await jumpTo('Stats', 'Shift+Tab')).getByText('No runs yet', { exact: false }).waitFor();
    await jumpTo('Graph', 'Shift+Tab');
    await tabTo(page, page.locator('.react-flow__node', { has: stepNode(page, 'pick') }), 'Tab', 3);

    // The Run form: opened with Enter, its first field focused; filled, and submitted from its Run button.
    await tabTo(page, page.getByRole('button', { name: 'Start a run', exact: true }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Run this workflow' });
    await expectFocusShown(form.getByLabel('sku'));
    await page.keyboard.type('keyboard-sku');
    await tabTo(page, form.getByRole('button', { name: 'Run', exact: true }));
    await expectFocusShown(form.getByRole('button', { name: 'Run', exact: true }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await stepNode(page, 'pack', 'COMPLETED').waitFor();
    await page.locator('.run-header .status[data-status="COMPLETED"]').waitFor();
  });

  it("refuses a Run form with mistakes: the focus on the first field at fault (in the form's order), its error its description, all of them announced", async () => {
    h.admin(await execute(h.server.url, CreateWorkflowDocument, { input: FORMED }, h.server.adminHeaders));
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${FORMED.name}`);
    await page.getByRole('button', { name: 'Start a run', exact: true }).click();
    const form = page.getByRole('form', { name: 'Run this workflow' });
    const field = (name: string) => form.locator(`#run-field-${name}`);
    /** Whether a field is marked invalid, and the text it is described by (its error). */
    const verdict = (name: string) =>
      field(name).evaluate((element) => [
        element.getAttribute('aria-invalid'),
        element.ownerDocument.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
      ]);
    await expectFocusShown(field('sku'));

    // sku too short, plan left out, seats too small, sent with Enter from seats: the focus goes back up to
    // sku, the form's first field at fault, though the schema reports the missing plan first.
    await page.keyboard.type('x');
    await tabTo(page, field('seats'));
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await expectFocusShown(field('sku'));
    expect(await verdict('sku')).toEqual(['true', 'String is too short (1 < 3).']);
    expect(await verdict('plan')).toEqual(['true', 'required']);
    expect((await verdict('seats'))[0]).toBe('true');
    const summary = form.getByRole('alert');
    expect(await summary.innerText()).toMatch(
      /^Not started, 3 problems to fix: sku: String is too short \(1 < 3\); plan: required; seats: .*1/,
    );

    // sku fixed: the next submit goes on to plan, and sku is no longer marked.
    await field('sku').fill('abc');
    await page.keyboard.press('Enter');
    await expectFocusShown(field('plan'));
    expect(await verdict('sku')).toEqual(['false', '']);
    expect(await summary.innerText()).toMatch(/^Not started, 2 problems to fix: plan: required; seats: /);

    // Sent with the Run button this time (Enter in a select sends nothing).
    await field('plan').selectOption({ label: 'pro' });
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await expectFocusShown(field('seats'));
    expect(await summary.innerText()).toMatch(/^Not started, 1 problem to fix: seats: /);
    await field('seats').fill('3');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await stepNode(page, 'only', 'COMPLETED').waitFor();
  });

  it("shows the definition in its author's key order: the Run form's fields as the schema lists them, the diff as written", async () => {
    const { url, adminHeaders } = h.server;
    h.admin(await execute(url, CreateWorkflowDocument, { input: ORDERED }, adminHeaders));
    const shout = { type: 'transform', name: 'shout', expression: '$uppercase(steps.greet.output.greeting)' };
    const v2 = { ...ORDERED.definition, steps: [...ORDERED.definition.steps, shout] };
    h.admin(await execute(url, UpdateWorkflowDocument, { input: { name: ORDERED.name, definition: v2 } }, adminHeaders));
    const { page } = await h.open('admin');
    await page.goto(`/workflows/${ORDERED.name}`);

    await page.getByRole('button', { name: 'Start a run', exact: true }).click();
    const fields = page.getByRole('form', { name: 'Run this workflow' }).locator('[name]');
    await fields.first().waitFor();
    expect(await fields.evaluateAll((inputs) => inputs.map((input) => input.getAttribute('name')))).toEqual([
      'customer_id',
      'email',
      'plan',
    ]);

    // The diff's right side (v2) is v2 as written, line for line.
    const diff = page.getByRole('table', { name: 'Differences from v1 to v2' });
    await diff.locator('td[data-changed="true"]', { hasText: '"name": "shout"' }).waitFor();
    const right = await diff.locator('tr').evaluateAll((rows) =>
      rows.flatMap((row) => {
        const last = row.lastElementChild;
        return last?.classList.contains('diff-text') ? [last.textContent] : [];
      }),
    );
    expect(right.join('\n')).toBe(JSON.stringify(v2, null, 2));
  });

  it('offers a view-only key neither the Run form nor schedule controls', async () => {
    const { key } = h.admin(
      await execute(
        h.server.url,
        CreateApiKeyDocument,
        { name: 'workflow viewer', permissions: ['WORKFLOW_VIEW', 'EXECUTION_VIEW'] },
        h.server.adminHeaders,
      ),
    ).createApiKey;
    const { page } = await h.open({ apiKey: key });
    await page.goto(`/workflows/${SHOP.name}`);
    await page.locator('tr[data-schedule="yearly"]').waitFor();
    await stepNode(page, 'check').waitFor();
    expect(await page.getByRole('button', { name: /^(Start a run|Pause|Resume)$/ }).count()).toBe(0);
  });
});
