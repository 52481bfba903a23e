// Plain JavaScript: the global setup (loaded outside Jest's transform) and the browser tests share it.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): nothing downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_LAUNCH = { executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true };

export function chromiumPresent() {
  return existsSync(CHROMIUM_PATH);
}

/**
 * The one headless Chromium of a whole Jest run, launched by the global setup: test files connect to
 * its endpoint (SWITCHYARD_TEST_BROWSER_WS) rather than each launching one. Undefined without Chromium.
 */
export async function launchSharedChromium() {
  if (!chromiumPresent()) return undefined;
  const server = await chromium.launchServer(CHROMIUM_LAUNCH);
  return { endpoint: server.wsEndpoint(), stop: () => server.close() };
}
