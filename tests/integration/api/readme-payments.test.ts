import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_ADMIN_PASSWORD } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);
const ROOT = process.cwd();

/** The shell block that logs in ("## Try it", its first), payment_processing's and lead_to_opportunity's, as a reader pastes them. */
function blocks(): { login: string; payments: string; pipeline: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const shellBlocks = (from: number, to: number) => [...readme.slice(from, to).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const tryIt = readme.indexOf('\n## Try it\n');
  const section = readme.indexOf('\n**payment_processing**');
  expect(tryIt).toBeGreaterThan(-1);
  expect(section).toBeGreaterThan(-1);
  const [login] = shellBlocks(tryIt, readme.indexOf('\n## ', tryIt + 1));
  const [payments, pipeline] = shellBlocks(section, readme.indexOf('\n## ', section + 1));
  return { login: login ?? '', payments: payments ?? '', pipeline: pipeline ?? '' };
}

describe("the README's payment_processing and lead_to_opportunity commands", () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_DEMO_DATA: 'true' } });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('work pasted twice on a fresh server: paid, declined, confirmed by a signed delivery (whose redelivery records nothing), and a won opportunity invoiced', async () => {
    const { login, payments, pipeline } = blocks();
    const host = new URL(server.url).host;
    const once = `${login}\n${payments}\n${pipeline}`.replaceAll('localhost:4000', host).replace('<printed password>', TEST_ADMIN_PASSWORD);
    const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', `${once}\necho "=== again ==="\n${once}`], { cwd: ROOT, timeout: 90_000 });
    expect(stderr).toBe('');
    for (const paste of stdout.split('=== again ===')) {
      expect(paste).not.toMatch(/"errors"/);
      expect(paste).toContain('{"received":true,"recorded":true');
      expect(paste).toContain('{"received":true,"recorded":false');
      expect(paste).toContain('"moveOpportunity":{"stage":"closed_won","probability":100');
    }
    const statuses = async () =>
      (await server.orm.em.fork().getConnection().execute<Array<{ status: string; code: string | null }>>(
        `select e.status, e.error->>'code' as code from executions e join workflows w on w.id = e.workflow_id where w.name = 'payment_processing' order by e.created_at`,
      )).map((row) => `${row.status}:${row.code ?? ''}`);
    // Per paste: paid, declined, confirmed from outside, and the won opportunity's invoice.
    const ended = await eventually('the runs ended', statuses, (all) => all.length === 8 && !all.some((each) => each.startsWith('running') || each.startsWith('waiting')));
    expect([...ended].sort()).toEqual(['completed:', 'completed:', 'completed:', 'completed:', 'completed:', 'completed:', 'failed:PAYMENT_DECLINED', 'failed:PAYMENT_DECLINED']);
  });
});
