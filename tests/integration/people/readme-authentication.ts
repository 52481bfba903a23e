import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ADMIN_PASSWORD } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);
const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
const INVITATION_PLACEHOLDER = "'<the token in the invitation e-mail>'";

/** The shell blocks of a README section, in order. */
function shellBlocks(heading: string): string[] {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return [...README.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * The Authentication section's walkthrough, as a reader pastes it into the shell of "Try it": the
 * platform admin makes a tenant, its invited admin accepts (the token read from the e-mail, here the
 * outbox), signs in and adds a viewer, the viewer is refused a run, and the admin reads the audit log.
 */
describe("the README's Authentication walkthrough", () => {
  let database: TestDatabase;
  let server: TestServer;
  /** The inbox the reader reads: answers the token of the newest invitation's link, as the e-mail shows it. */
  let inbox: Server;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    inbox = createServer((_request, response) => {
      void (async () => {
        const [row] = await server.orm.em
          .fork()
          .getConnection()
          .execute<Array<{ text: string }>>(
            `select payload->>'text' as text from outbox_messages where payload->>'template' = 'user_invitation' order by created_at desc limit 1`,
          );
        response.end(/\?token=([A-Za-z0-9_-]{43})$/m.exec(row?.text ?? '')?.[1] ?? 'no-invitation');
      })();
    });
    await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => inbox?.close(resolve));
    await server?.stop();
    await database?.drop();
  });

  it('works pasted twice after the start of "Try it": a tenant, its admin invited, a viewer, and the audit log', async () => {
    // From "Try it": the helpers and the platform admin's sign-in.
    const tryIt = shellBlocks('Try it')[0] ?? '';
    const prelude = tryIt.slice(0, tryIt.indexOf('\n', tryIt.indexOf('TOKEN=$(gql "mutation { login(')));
    const walkthrough = shellBlocks('Authentication');
    expect(walkthrough).toHaveLength(2);
    const script = walkthrough.join('\n');
    expect(script).toContain(INVITATION_PLACEHOLDER);
    // The reader's one edit: the token of the e-mail, here fetched from the inbox when that line runs.
    const inboxUrl = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/`;
    const once = `${prelude}\n${script.replace(INVITATION_PLACEHOLDER, `"$(curl -s ${inboxUrl})"`)}`
      .replaceAll('localhost:4000', new URL(server.url).host)
      .replace('<printed password>', TEST_ADMIN_PASSWORD);
    const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', `${once}\necho "=== again ==="\n${once}`], {
      timeout: 150_000,
    });

    expect(stderr).toBe('');
    const pastes = stdout.split('=== again ===');
    expect(pastes).toHaveLength(2);
    for (const paste of pastes) {
      expect(paste).toMatch(/"createTenant":\{"id":"[0-9a-f-]{36}","slug":"acme-\d+"/);
      expect(paste).toContain('"invitationPending":false');
      expect(paste).toMatch(/"createUser":\{"id":"[0-9a-f-]{36}","role":"VIEWER"\}/);
      expect(paste).toMatch(
        /"me":\{"name":"vera@acme-\d+\.example","role":"VIEWER","tenant":\{"slug":"acme-\d+"\},"permissions":\["WORKFLOW_VIEW","EXECUTION_VIEW","CRM_VIEW"\]\}/,
      );
      // A viewer runs nothing: refused, and the refusal recorded.
      expect(paste).toMatch(/"extensions":\{"code":"FORBIDDEN"/);
      const auditLog = /\{"data":\{"auditLog":(.*)\}\}/.exec(paste)?.[1] ?? '';
      const operations = [...auditLog.matchAll(/"operation":"([^"]+)","target":\{[^}]*\},"outcome":"([A-Z_a-z]+)"/g)].map(
        (match) => `${match[1]} ${match[2]}`,
      );
      expect(operations).toEqual(
        expect.arrayContaining(['user.acceptInvitation ok', 'session.signIn ok', 'user.create ok', 'execution.start FORBIDDEN']),
      );
    }
    // Two pastes of a dozen password hashings and sign-ins each, on a machine that may be busy.
  }, 180_000);
});
