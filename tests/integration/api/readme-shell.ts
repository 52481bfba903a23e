import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ADMIN_PASSWORD } from '../../helpers/auth.js';
import { useTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);

/** Two pastes of a README section: generous, for a loaded machine (a limit, not a measurement). */
export const PASTE_TIMEOUT_MS = 150_000;
const ROOT = process.cwd();

/**
 * The `sh` blocks of the README from the line `marker` (`\n## Try it\n`, `\n**payment_processing**`) to the
 * next `## ` heading, in order, as a reader pastes them.
 */
export function readmeShellBlocks(marker: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`the README has no ${JSON.stringify(marker)}`);
  const end = readme.indexOf('\n## ', start + 1);
  return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** The README's login block: the first of "## Try it". */
export function readmeLogin(): string {
  const [login] = readmeShellBlocks('\n## Try it\n');
  if (!login) throw new Error('the README\'s "Try it" has no shell block');
  return login;
}

export interface ReadmeServer {
  server: TestServer;
  /**
   * Runs the blocks in one bash (`-e -o pipefail`), pasted twice as a reader would, against this server
   * (its port for 4000, the admin's password for `<printed password>`), then `after`: each paste's output.
   */
  pasteTwice(
    blocks: readonly string[],
    options: { timeoutMs: number; after?: string },
  ): Promise<{ pastes: [string, string]; tail: string; stderr: string }>;
}

/**
 * A fresh server as `npm start` makes one on a new machine, demo data included: the file's test server
 * (useTestServer), set up before its tests and torn down after them.
 */
export function useReadmeServer(): ReadmeServer {
  const server = useTestServer({ env: { SWITCHYARD_DEMO_DATA: 'true' } });
  return {
    server,
    async pasteTwice(blocks, options) {
      const host = new URL(server.url).host;
      const once = blocks.join('\n').replaceAll('localhost:4000', host).replace('<printed password>', TEST_ADMIN_PASSWORD);
      const script = `${once}\necho "=== again ==="\n${once}\necho "=== after ==="\n${options.after ?? ''}`;
      const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, timeout: options.timeoutMs });
      const [pastes = '', tail = ''] = stdout.split('=== after ===');
      const [first = '', second = ''] = pastes.split('=== again ===');
      return { pastes: [first, second], tail, stderr };
    },
  };
}
