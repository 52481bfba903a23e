import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ADMIN_PASSWORD } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);
const ROOT = process.cwd();

/** How "## Try it" signs in (its first block, to the token) and the block of "**Approvals.**", as a reader pastes them. */
function blocks(): { login: string; approvals: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const firstShellBlock = (from: number) => /```sh\n([\s\S]*?)```/.exec(readme.slice(from))?.[1] ?? '';
  const tryIt = readme.indexOf('\n## Try it\n');
  const section = readme.indexOf('\n**Approvals.**');
  expect(tryIt).toBeGreaterThan(-1);
  expect(section).toBeGreaterThan(-1);
  const tryItBlock = firstShellBlock(tryIt);
  const signedIn = tryItBlock.indexOf('\n', tryItBlock.indexOf('TOKEN=$('));
  expect(signedIn).toBeGreaterThan(-1);
  return { login: tryItBlock.slice(0, signedIn), approvals: firstShellBlock(section) };
}

describe("the README's approval example", () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('saves the workflow, finds the request in the admin’s list, approves it, and the run completes with the decision', async () => {
    const { login, approvals } = blocks();
    const host = new URL(server.url).host;
    const script = `${login}\n${approvals}\necho "run=$RUN"`.replaceAll('localhost:4000', host).replace('<printed password>', TEST_ADMIN_PASSWORD);
    const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, timeout: 60_000 });
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/"errors"/);
    expect(stdout).toContain('"approveStep":{"status":"APPROVED","decisions":[{"by":"admin@switchyard.local","decision":"APPROVE"}]}');
    const id = /run=([0-9a-f-]{36})/.exec(stdout)?.[1];
    const sql = server.orm.em.fork().getConnection();
    const row = await eventually(
      'the run completed',
      async () => (await sql.execute<Array<{ status: string; output: { approved: boolean } | null }>>(`select e.status, s.output from executions e join execution_steps s on s.execution_id = e.id and s.key = 'manager_ok' where e.id = ?`, [id]))[0],
      (found) => found?.status === 'completed',
    );
    expect(row?.output).toMatchObject({ approved: true, outcome: 'approved' });
  });
});
