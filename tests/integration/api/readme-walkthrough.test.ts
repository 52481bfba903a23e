import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExecutionsDocument } from '../../generated/graphql.js';
import { TEST_ADMIN_PASSWORD } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok } from './support.js';

const run = promisify(execFile);
const ROOT = process.cwd();

/** The shell blocks of the README's "## Try it", in order, as a reader pastes them. */
function walkthrough(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Try it\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe("the README's walkthrough", () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    // As `npm start` on a fresh machine: the demo data too.
    server = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_DEMO_DATA: 'true' } });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('works pasted twice into one shell, every command answering without an error', async () => {
    const blocks = walkthrough();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const host = new URL(server.url).host;
    // The reader's one edit (the password), and this server's port; then every block, pasted twice.
    const once = blocks.join('\n').replaceAll('localhost:4000', host).replace('<printed password>', TEST_ADMIN_PASSWORD);
    const script = `${once}\necho "=== again ==="\n${once}\necho "lead=$LEAD run=$RUN"`;
    const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, timeout: 60_000 });

    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/"errors"|TypeError|Error:/);
    const [first, second] = stdout.split('=== again ===');
    for (const paste of [first ?? '', second ?? '']) {
      expect(paste).toContain('"qualifyLead":{"status":"QUALIFIED"}');
      expect(paste).toContain('{"data":{"executions":{"nodes":[');
      // The subscription followed the run to its final event.
      expect(paste).toContain('"type":"execution.completed"');
    }

    // Each paste qualified a lead of its own, and each lead's onboarding completed.
    const runs = await eventually(
      'both onboardings completed',
      async () => ok(await execute(server.url, ExecutionsDocument, { filter: { workflow: 'lead_to_customer_onboarding' }, first: 10 }, server.adminHeaders)).executions.nodes,
      (nodes) => nodes.length === 2 && nodes.every((node) => node.status === 'COMPLETED'),
      20_000,
    );
    expect(new Set(runs.map((node) => JSON.stringify(node.context))).size).toBe(2);
    const partnerRuns = ok(await execute(server.url, ExecutionsDocument, { filter: { workflow: 'partner_customer_provisioning' }, first: 10 }, server.adminHeaders)).executions.nodes;
    expect(partnerRuns.map((node) => node.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });
});
