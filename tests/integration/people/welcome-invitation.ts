import { EmailTemplate } from '../../../src/entities/domain/email-template.entity.js';
import {
  AcceptInvitationDocument,
  CreateTenantDocument,
  CreateUserDocument,
  DomainOutboxEmailsDocument,
  ExecuteWorkflowDocument,
} from '../../generated/graphql.js';
import { login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, linkFromInbox, ok, tokenFromInbox, uniqueEmail } from './support.js';

interface RecordedStep {
  status: string;
  input: unknown;
  output: unknown;
  error: { code?: string } | null;
}

/**
 * A welcome e-mail that carries an invitation (communications.sendTemplateEmail with `invitation: true`,
 * as the onboarding and partner workflows send it): the token is made in the step's transaction and is
 * in the e-mail only — not in the step's input or output, the run's context or its events — and only
 * for an invitee the tenant may reach, at their own address.
 */
describe('an invitation carried by a welcome e-mail', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    const em = server.orm.em.fork();
    em.create(EmailTemplate, {
      tenant: server.adminTenantId,
      name: 'welcome',
      subject: 'Welcome, {{name}}',
      textBody: 'Hello {{name}}, choose your password until {{invitation_expires_at}}:\n{{invitation_link}}\n',
    });
    em.create(EmailTemplate, { tenant: server.adminTenantId, name: 'no_token', subject: 'Hi', textBody: 'Hello {{name}}.' });
    await em.flush();
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'welcome_someone',
      definition: {
        steps: [
          {
            name: 'send_welcome',
            type: 'service_call',
            service: 'communications',
            method: 'sendTemplateEmail',
            params: { template: '${context.template}', recipient: '${context.email}', invitation: true, variables: { name: 'Vera' } },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const query = async <T extends object>(text: string, params: unknown[]): Promise<T[]> =>
    server.orm.em.fork().getConnection().execute<T[]>(text, params);

  /** Runs welcome_someone through the API and answers its (finished) step and everything the run recorded, as text. */
  async function welcome(email: string, template = 'welcome'): Promise<{ step: RecordedStep; recorded: string }> {
    const { id } = ok(
      await execute(server.url, ExecuteWorkflowDocument, { name: 'welcome_someone', context: { email, template } }, server.adminHeaders),
    ).executeWorkflow.execution;
    await eventually(
      `run ${id} finished`,
      () => query<{ status: string }>('select status from executions where id = ?', [id]),
      (rows) => ['completed', 'failed'].includes(rows[0]?.status ?? ''),
    );
    const [step] = await query<RecordedStep>(
      `select status, input, output, error from execution_steps where execution_id = ? and key = 'send_welcome'`,
      [id],
    );
    const recorded = await query<{ data: string }>(
      `select coalesce(s.input::text, '') || coalesce(s.output::text, '') || coalesce(s.error::text, '') as data from execution_steps s where s.execution_id = ?
       union all select coalesce(e.context::text, '') || coalesce(e.result::text, '') || coalesce(e.error::text, '') from executions e where e.id = ?
       union all select v.payload::text from execution_events v where v.execution_id = ?`,
      [id, id, id],
    );
    return { step: step!, recorded: recorded.map((row) => row.data).join('\n') };
  }

  it('carries a fresh invitation of the user, which replaces the one e-mailed before; the token is in the e-mail only, listed without it', async () => {
    const email = uniqueEmail('vera');
    ok(await execute(server.url, CreateUserDocument, { input: { email, name: 'Vera', role: 'VIEWER' } }, server.adminHeaders));
    const first = await tokenFromInbox(server, email, 'user_invitation');

    const { step, recorded } = await welcome(email);
    expect(step).toMatchObject({ status: 'completed', output: { status: 'queued', invitation: 'sent' } });
    const link = await linkFromInbox(server, email, 'welcome');
    // The console's page on this server (SWITCHYARD_PUBLIC_URL unset: the API's own address).
    expect(`${link.origin}${link.pathname}`).toBe(`${new URL(server.url).origin}/accept-invitation`);
    const token = link.searchParams.get('token') ?? '';
    expect(token).not.toBe(first);
    expect(recorded).not.toContain(token);
    const [listed] = ok(
      await execute(server.url, DomainOutboxEmailsDocument, { template: 'welcome', to: email }, server.adminHeaders),
    ).outboxEmails;
    expect(listed?.text).toContain('(one-time link, shown only to its recipient)');
    expect(listed?.text).not.toContain(token);

    // The earlier invitation stopped working; the welcome's is accepted, once.
    expect(codeOf(await execute(server.url, AcceptInvitationDocument, { token: first, password: 'vera-chose-this' }))).toBe(
      'BAD_USER_INPUT',
    );
    ok(await execute(server.url, AcceptInvitationDocument, { token, password: 'vera-chose-this' }));
    await login(server.url, email, 'vera-chose-this');

    // Accepted: a later welcome cannot carry an invitation any more.
    const again = await welcome(email);
    expect(again.step).toMatchObject({ status: 'failed', error: { code: 'INVALID_STATE' } });
  });

  it("is refused for someone the tenant cannot reach — another tenant's invited admin — whose invitation stays as it was", async () => {
    const theirAdmin = uniqueEmail('elsewhere');
    ok(
      await execute(
        server.url,
        CreateTenantDocument,
        { input: { slug: `elsewhere-${process.pid}`, name: 'Elsewhere', adminEmail: theirAdmin } },
        server.adminHeaders,
      ),
    );
    const theirs = await tokenFromInbox(server, theirAdmin, 'user_invitation');

    const { step } = await welcome(theirAdmin);
    expect(step).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND' } });
    expect(
      await query("select 1 from outbox_messages where payload->>'to' = ? and payload->>'template' = ?", [theirAdmin, 'welcome']),
    ).toEqual([]);
    ok(await execute(server.url, AcceptInvitationDocument, { token: theirs, password: 'elsewhere-admin-1' }));
  });

  it('is refused for a template with no {{invitation_link}}, and the invitation e-mailed before keeps working', async () => {
    const email = uniqueEmail('nowhere');
    ok(await execute(server.url, CreateUserDocument, { input: { email, name: 'Nowhere', role: 'VIEWER' } }, server.adminHeaders));
    const first = await tokenFromInbox(server, email, 'user_invitation');
    const { step } = await welcome(email, 'no_token');
    expect(step).toMatchObject({ status: 'failed', error: { code: 'VALIDATION' } });
    ok(await execute(server.url, AcceptInvitationDocument, { token: first, password: 'nowhere-password' }));
  });
});
