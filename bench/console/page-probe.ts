import type { CDPSession, Page } from 'playwright-core';

/**
 * What the bench reads from inside the page. An init script (before any of the console's code) keeps
 * a MutationObserver on the document: the first moment each watched selector matches is recorded, and
 * the frame after it (the commit is drawn by then). Long tasks (over 50 ms of main thread) are kept
 * too. Polling from outside (Playwright's waitFor) would add up to half a second of its own.
 */
const PROBE = `((watched) => {
  const probe = { watched, marks: {}, longTasks: [], commits: 0, mutations: 0 };
  window.__probe = probe;
  const check = () => {
    for (const selector of probe.watched) {
      if (probe.marks[selector] || !document.querySelector(selector)) continue;
      const committed = performance.now();
      probe.marks[selector] = { committed, drawn: null };
      requestAnimationFrame(() => setTimeout(() => { probe.marks[selector].drawn = performance.now(); }, 0));
    }
  };
  probe.watch = (selectors) => { probe.watched = selectors; probe.marks = {}; check(); };
  new MutationObserver((records) => {
    probe.commits += 1;
    probe.mutations += records.length;
    check();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
})`;

export interface Mark {
  committed: number;
  drawn: number | null;
}

export interface PageProbe {
  /** Starts recording when these selectors first match (page time, ms). */
  watch(selectors: string[]): Promise<void>;
  /** Resolves with each selector's mark once all have been drawn. */
  drawn(selectors: string[], timeoutMs: number): Promise<Mark[]>;
  now(): Promise<number>;
  /** DOM changes so far: batches (about one per React commit) and records (elements, attributes, texts changed). */
  domChanges(): Promise<{ commits: number; mutations: number }>;
  /** Long tasks that started at or after `since` (page time). */
  longTasks(since: number): Promise<{ start: number; duration: number }[]>;
  /** Chromium's own counters (Performance.getMetrics): task, script, layout and style time, in ms. */
  metrics(): Promise<MainThreadTime>;
  /** The requests finished so far, in the current document's time (those of earlier documents start before 0). */
  requests(): Promise<RequestSpan[]>;
  /** A CPU profile (Chrome DevTools' format) of what runs between start and stop. */
  startProfile(): Promise<void>;
  stopProfile(): Promise<unknown>;
}

/** A request the page made: what it was (a GraphQL operation's name, else the path) and when, in page time. */
export interface RequestSpan {
  what: string;
  start: number;
  end: number;
}

export interface MainThreadTime {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** Installs the probe in every document the page loads, watching `selectors` from the start. */
export async function installProbe(page: Page, selectors: string[]): Promise<PageProbe> {
  await page.addInitScript(`${PROBE}(${JSON.stringify(selectors)});`);
  const cdp: CDPSession = await page.context().newCDPSession(page);
  // Request times are wall-clock (epoch ms); they become page time against the document's time origin.
  const finished: { what: string; startTime: number; responseEnd: number }[] = [];
  page.on('requestfinished', (request) => {
    const body = request.postData();
    const operation =
      body?.match(/"operationName"\s*:\s*"(\w+)"/)?.[1] ?? body?.match(/^\s*\{?\s*"query"\s*:\s*"(?:query|mutation)\s+(\w+)/)?.[1];
    const { startTime, responseEnd } = request.timing();
    finished.push({ what: operation ?? new URL(request.url()).pathname, startTime, responseEnd });
  });
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return {
    async watch(selectors) {
      await page.evaluate(
        (list) => (globalThis as unknown as { __probe: { watch(selectors: string[]): void } }).__probe.watch(list),
        selectors,
      );
    },
    async drawn(selectors, timeoutMs) {
      await page.waitForFunction(
        (list) =>
          list.every(
            (selector) =>
              (globalThis as unknown as { __probe: { marks: Record<string, Mark | undefined> } }).__probe.marks[selector]?.drawn != null,
          ),
        selectors,
        { timeout: timeoutMs, polling: 100 },
      );
      return page.evaluate(
        (list) =>
          list.map((selector) => (globalThis as unknown as { __probe: { marks: Record<string, Mark> } }).__probe.marks[selector] as Mark),
        selectors,
      );
    },
    now: () => page.evaluate(() => performance.now()),
    domChanges: () =>
      page.evaluate(() => {
        const { commits, mutations } = (globalThis as unknown as { __probe: { commits: number; mutations: number } }).__probe;
        return { commits, mutations };
      }),
    longTasks: (since) =>
      page.evaluate(
        (from) =>
          (globalThis as unknown as { __probe: { longTasks: { start: number; duration: number }[] } }).__probe.longTasks.filter(
            (task) => task.start >= from,
          ),
        since,
      ),
    async metrics() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const seconds = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
      return {
        taskMs: seconds('TaskDuration'),
        scriptMs: seconds('ScriptDuration'),
        layoutMs: seconds('LayoutDuration'),
        styleMs: seconds('RecalcStyleDuration'),
      };
    },
    async requests() {
      const origin = await page.evaluate(() => performance.timeOrigin);
      return finished.map(({ what, startTime, responseEnd }) => ({
        what,
        start: startTime - origin,
        end: startTime - origin + responseEnd,
      }));
    },
    async startProfile() {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    },
    async stopProfile() {
      return (await cdp.send('Profiler.stop')).profile;
    },
  };
}

export function timeSpent(before: MainThreadTime, after: MainThreadTime): MainThreadTime {
  return {
    taskMs: after.taskMs - before.taskMs,
    scriptMs: after.scriptMs - before.scriptMs,
    layoutMs: after.layoutMs - before.layoutMs,
    styleMs: after.styleMs - before.styleMs,
  };
}
