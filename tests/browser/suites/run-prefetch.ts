import type { Request, Route } from 'playwright-core';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { ExecutionDocument } from '../../generated/graphql.js';
import { describeInBrowser, stepNode } from '../browser.js';
import { consoleHarness } from '../harness.js';

const operationOf = (request: Request): string | undefined => {
  const body: unknown = request.method() === 'POST' ? request.postDataJSON() : null;
  return typeof body === 'object' && body !== null && 'operationName' in body && typeof body.operationName === 'string'
    ? body.operationName
    : undefined;
};

describeInBrowser("the console in a real browser: a run's page opened by its address", () => {
  const h = consoleHarness();

  it('asks for the run once, whichever of the requests made ahead answers first', async () => {
    const id = await h.startGatedRun(`ahead-${Date.now()}`);
    await eventually(
      'the run parked on its first gate',
      async () => (await execute(h.server.url, ExecutionDocument, { id }, h.server.adminHeaders)).data?.execution?.status,
      (status) => status === 'WAITING',
    );
    const { page } = await h.open('admin');
    const asked: string[] = [];
    page.on('request', (request) => {
      const operation = operationOf(request);
      if (operation) asked.push(operation);
    });
    // The order that once made the page ask again: the log's first page answers, then the viewer (the
    // run's page is drawn), and only then the run asked for ahead (a run asked again is held too).
    let answerRun!: () => void;
    const runHeld = new Promise<void>((resolve) => (answerRun = resolve));
    const eventsAnswered = page.waitForResponse((response) => operationOf(response.request()) === 'RunEvents');
    await page.route('**/graphql', async (route: Route) => {
      const operation = operationOf(route.request());
      if (operation === 'Run') await runHeld;
      else if (operation === 'Me') await eventsAnswered;
      await route.fallback();
    });
    await page.goto(`/executions/${id}`);
    await page.getByText('Loading the run…').waitFor();
    answerRun();
    await stepNode(page, 'prepare', 'COMPLETED').waitFor();
    await page.locator('.run-header .status[data-status="WAITING"]').waitFor();
    expect(asked.filter((operation) => operation === 'Run')).toEqual(['Run']);
  });
});
