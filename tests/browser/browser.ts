import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_LAUNCH, CHROMIUM_PATH, chromiumPresent as chromiumInstalled } from '../helpers/chromium.mjs';
import { TEST_ENV } from '../helpers/env.js';

/**
 * The browser tests drive Debian's Chromium (`apt-get install chromium`; .ci/run installs it) through
 * playwright-core: nothing downloads a browser. Outside CI a machine without it skips them, saying so;
 * with CI=true they run, and fail when it is missing.
 */
export { CHROMIUM_PATH };
const chromiumPresent = chromiumInstalled();
const inCi = process.env['CI'] === 'true';

export const describeInBrowser: jest.Describe = chromiumPresent || inCi ? describe : describe.skip;
if (!chromiumPresent && !inCi) {
  console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package: apt-get install -y chromium).`);
}

/**
 * The browser of a test file: a connection to the Chromium the global setup launched for the whole run
 * (each file and each test has contexts of its own in it, so nothing is shared but the process: one
 * launch instead of one a file), or, run without that setup, a Chromium of its own. Closing it closes
 * this file's contexts and the connection, not the shared Chromium.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPresent)
    throw new Error(`CI=true but there is no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (.ci/run does)`);
  const endpoint = process.env[TEST_ENV.browserEndpoint];
  return endpoint ? chromium.connect(endpoint) : chromium.launch(CHROMIUM_LAUNCH);
}

export interface ConsoleTab {
  page: Page;
  context: BrowserContext;
  /** Errors the page logged or threw (a CSP violation is one). */
  errors: string[];
}

/** What the console keeps in localStorage after a sign-in (console/src/auth/session.ts). */
export interface StoredSession {
  token: string;
  kind: 'password' | 'api-key';
  expiresAt: string | null;
}

/**
 * A fresh browser context (its own localStorage) at 1280×800, recording the page's errors; with
 * `session`, already signed in as the console's own sign-in leaves it (no form, no second page load).
 */
export async function openTab(browser: Browser, origin: string, session?: StoredSession): Promise<ConsoleTab> {
  const storageState = session
    ? { cookies: [], origins: [{ origin, localStorage: [{ name: 'switchyard.session', value: JSON.stringify(session) }] }] }
    : undefined;
  const context = await browser.newContext({
    baseURL: origin,
    viewport: { width: 1280, height: 800 },
    ...(storageState ? { storageState } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, context, errors };
}

/** A session of a token from `login`, expiring when the token does (its `exp`). */
export function passwordSession(token: string): StoredSession {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
  if (typeof payload.exp !== 'number') throw new Error('the token has no exp');
  return { token, kind: 'password', expiresAt: new Date(payload.exp * 1000).toISOString() };
}

/** The sign-in form (its tab panel is labelled by its tab, "API key" or "E-mail and password", as its fields are). */
export const signInForm = (page: Page) => page.getByRole('form', { name: 'Sign in' });

/** Signs in through the console's form with an e-mail and password, and waits for the executions page. */
export async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  const form = signInForm(page);
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Executions' }).waitFor();
}

/** Signs in with a pasted API key. */
export async function signInWithApiKey(page: Page, key: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('tab', { name: 'API key' }).click();
  await signInForm(page).getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Executions' }).waitFor();
}

/** A step node of the run graph, in a given status (NOT_STARTED before its record exists). */
export function stepNode(page: Page, step: string, status?: string) {
  return page.locator(status ? `[data-step="${step}"][data-status="${status}"]` : `[data-step="${step}"]`);
}

/**
 * What Chromium's accessibility tree says of the buttons with this exact name on the page (through the
 * DevTools protocol): whether each is disabled (disabled or aria-disabled) and its accessible description.
 */
export async function accessibleButtons(page: Page, name: string): Promise<Array<{ disabled: boolean; description: string | undefined }>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', {
      backendNodeId: root.backendNodeId,
      accessibleName: name,
      role: 'button',
    });
    return nodes.map((node) => {
      const description: unknown = node.description?.value;
      return {
        disabled: node.properties?.some((property) => property.name === 'disabled' && property.value.value === true) ?? false,
        description: typeof description === 'string' && description !== '' ? description : undefined,
      };
    });
  } finally {
    await cdp.detach();
  }
}
