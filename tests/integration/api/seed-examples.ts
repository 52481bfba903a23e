import {
  DomainCreateLeadDocument,
  DomainQualifyLeadDocument,
  ExecuteWorkflowDocument,
  SeedCreateWorkflowDocument,
  SeedUpdateWorkflowDocument,
  SeedWorkflowLabelsDocument,
  ValidateWorkflowDefinitionDocument,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, waitForExecution } from './support.js';

/**
 * Seed 000's "Creating Custom Workflows" body, verbatim: its `version` is a label ("1.0.0"), and its
 * step passes `${context.tenant_id}`, which callers of the seeds' examples leave out.
 */
const SEED_000_CREATE_BODY = JSON.parse(`{
    "name": "my_custom_workflow",
    "description": "Custom workflow",
    "definition": {
      "steps": [
        {
          "name": "step1",
          "type": "service_call",
          "service": "customer_service",
          "method": "create_from_lead",
          "params": {
            "lead_id": "\${context.lead_id}",
            "tenant_id": "\${context.tenant_id}"
          }
        }
      ]
    },
    "version": "1.0.0"
  }`) as { name: string; description: string; definition: Record<string, unknown>; version: string };

describe("the seeds' own examples over the API", () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    // A tenant of its own, without the built-in workflows (nothing else reacts to its leads).
    const user = await createUser(server.orm, 'admin');
    headers = bearer((await login(server.url, user.email, user.password)).token);
    const [row] = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; slug: string }>>('select id, slug from tenants where id = ?', [user.tenantId]);
    if (!row) throw new Error('the test tenant is missing');
    tenant = row;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function qualifiedLead(email: string): Promise<string> {
    const lead = ok(
      await execute(server.url, DomainCreateLeadDocument, { input: { name: 'Mia Example', email, company: 'Mia Ltd' } }, headers),
    ).createLead;
    ok(await execute(server.url, DomainQualifyLeadDocument, { id: lead.id }, headers));
    return lead.id;
  }

  it("accepts seed 000's create body as written and keeps its version as the label", async () => {
    const created = ok(await execute(server.url, SeedCreateWorkflowDocument, { input: SEED_000_CREATE_BODY }, headers)).createWorkflow;
    expect(created).toMatchObject({
      name: 'my_custom_workflow',
      description: 'Custom workflow',
      version: 1,
      versionLabel: '1.0.0',
      definition: SEED_000_CREATE_BODY.definition,
    });
    expect(created.versions).toEqual([{ version: 1, label: '1.0.0', current: true }]);

    // A new definition with a new label is version 2; the same definition with another label relabels it.
    const definition = {
      steps: [...(SEED_000_CREATE_BODY.definition['steps'] as unknown[]), { name: 'step2', type: 'transform', output: { done: true } }],
    };
    const v2 = ok(
      await execute(
        server.url,
        SeedUpdateWorkflowDocument,
        { input: { name: 'my_custom_workflow', definition, version: '1.1.0' } },
        headers,
      ),
    ).updateWorkflow;
    expect([v2.version, v2.versionLabel]).toEqual([2, '1.1.0']);
    const relabelled = ok(
      await execute(
        server.url,
        SeedUpdateWorkflowDocument,
        { input: { name: 'my_custom_workflow', definition, version: '1.1.1' } },
        headers,
      ),
    ).updateWorkflow;
    expect(relabelled.versions.map((version) => [version.version, version.label, version.current])).toEqual([
      [2, '1.1.1', true],
      [1, '1.0.0', false],
    ]);
    const read = ok(await execute(server.url, SeedWorkflowLabelsDocument, { name: 'my_custom_workflow' }, headers));
    expect([read.workflow.version, read.workflow.versionLabel]).toEqual([2, '1.1.1']);
    expect(read.workflows.nodes).toContainEqual({ name: 'my_custom_workflow', versionLabel: '1.1.1' });

    const blank = await execute(
      server.url,
      SeedCreateWorkflowDocument,
      { input: { ...SEED_000_CREATE_BODY, name: 'blank_label', version: '  ' } },
      headers,
    );
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
  });

  it("runs it without tenant_id (the run's own tenant), with the tenant's slug, and refuses another tenant's id", async () => {
    ok(await execute(server.url, SeedCreateWorkflowDocument, { input: { ...SEED_000_CREATE_BODY, name: 'seed_000_runs' } }, headers));

    const leadId = await qualifiedLead('mia@example.test');
    const run = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'seed_000_runs', context: { lead_id: leadId } }, headers))
      .executeWorkflow.execution;
    const done = await waitForExecution(server.url, headers, run.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.steps.find((step) => step.key === 'step1')?.input).toEqual({ lead_id: leadId, tenant_id: tenant.id });
    expect(done.result).toMatchObject({ step1: { leadId, email: 'mia@example.test' } });
    // The stored context is what the caller sent.
    expect(done.context).toEqual({ lead_id: leadId });

    const bySlug = ok(
      await execute(
        server.url,
        ExecuteWorkflowDocument,
        { name: 'seed_000_runs', context: { lead_id: await qualifiedLead('ola@example.test'), tenant_id: tenant.slug } },
        headers,
      ),
    );
    expect((await waitForExecution(server.url, headers, bySlug.executeWorkflow.execution.id)).status).toBe('COMPLETED');

    const other = await createUser(server.orm, 'admin');
    const foreignLead = await qualifiedLead('eve@example.test');
    const foreign = ok(
      await execute(
        server.url,
        ExecuteWorkflowDocument,
        { name: 'seed_000_runs', context: { lead_id: foreignLead, tenant_id: other.tenantId } },
        headers,
      ),
    );
    const refused = await waitForExecution(server.url, headers, foreign.executeWorkflow.execution.id);
    expect(refused.status).toBe('FAILED');
    expect(refused.error?.code).toBe('FORBIDDEN');
  });

  it("gives templates and expressions the run's tenant", async () => {
    const definition = {
      steps: [
        {
          name: 'who',
          type: 'transform',
          output: {
            id: '${tenant.id}',
            slug: '${tenant.slug}',
            tenantId: '${context.tenant_id}',
            bare: '${tenant_id}',
            label: 'for ${tenant.slug}',
          },
        },
        { name: 'said', type: 'transform', expression: 'tenant.slug & ":" & context.tenant_id' },
      ],
    };
    ok(await execute(server.url, SeedCreateWorkflowDocument, { input: { name: 'whose_run', definition } }, headers));
    const run = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'whose_run', context: {} }, headers)).executeWorkflow
      .execution;
    const done = await waitForExecution(server.url, headers, run.id);
    expect(done.result).toEqual({
      who: { id: tenant.id, slug: tenant.slug, tenantId: tenant.id, bare: tenant.id, label: `for ${tenant.slug}` },
      said: `${tenant.slug}:${tenant.id}`,
    });

    // A tenant_id the caller gives is kept as given (the services decide whether it is theirs).
    const given = ok(
      await execute(server.url, ExecuteWorkflowDocument, { name: 'whose_run', context: { tenant_id: tenant.slug } }, headers),
    ).executeWorkflow.execution;
    expect((await waitForExecution(server.url, headers, given.id)).result).toMatchObject({ who: { tenantId: tenant.slug } });

    const unknown = ok(
      await execute(
        server.url,
        ValidateWorkflowDefinitionDocument,
        { name: 'x', definition: { steps: [{ name: 'a', type: 'transform', output: { x: '${tenant.secret}' } }] } },
        headers,
      ),
    ).validateWorkflowDefinition;
    expect(unknown.valid).toBe(false);
    expect(unknown.issues).toEqual([{ path: '$.steps[0].output.x', message: expect.stringContaining('id, slug, name') }]);
  });
});
