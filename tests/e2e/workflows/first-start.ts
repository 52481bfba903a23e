import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { WorkflowsDocument } from '../../generated/graphql.js';
import {
  DomainCatalogDocument,
  DomainCommercialRecordsDocument,
  DomainCustomersDocument,
  DomainLeadsDocument,
  DomainQuotesDocument,
  DomainTicketsDocument,
} from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEMO_EMAIL_TEMPLATES } from '../../../src/services/operations-demo-data.js';
import { builtInWorkflows } from '../../../src/workflows/index.js';

/** Every table the first start may write, digested row by row: equal digests, nothing changed. */
const SEEDED_TABLES = [
  'tenants',
  'users',
  'customers',
  'leads',
  'plans',
  'quotes',
  'quote_lines',
  'subscriptions',
  'subscription_events',
  'license_templates',
  'partners',
  'email_templates',
  'ip_pools',
  'vlan_ranges',
  'technicians',
  'site_surveys',
  'tickets',
  'ticket_counters',
  'workflows',
  'workflow_versions',
  'built_in_workflows',
  'domain_events',
  'executions',
  'outbox_messages',
];

describe('first start', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;
  const start = () => startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_DEMO_DATA: 'true', LOG_LEVEL: 'silent' } });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function fingerprint(running: TestServer): Promise<Record<string, string>> {
    const connection = running.orm.em.fork().getConnection();
    const digests: Record<string, string> = {};
    for (const table of SEEDED_TABLES) {
      // Users' last-login stamps change with every login; everything else must not.
      const columns = table === 'users' ? `t.id, t.email, t.tenant_id, t.role, t.password_hash` : 't.*';
      const [row] = await connection.execute<{ count: number; digest: string }[]>(
        `select count(*)::int as count, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest from (select ${columns} from "${table}" t) r`,
      );
      digests[table] = `${row?.count}:${row?.digest}`;
    }
    return digests;
  }

  it('seeds the default tenant with the demo data and the built-in workflows, and a second start changes nothing', async () => {
    server = await start();
    const running = server;
    const gql = async <TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables): Promise<TData> => {
      const response = await (
        execute as (url: string, d: unknown, v: unknown, h: Record<string, string>) => Promise<{ data?: TData | null; errors?: unknown }>
      )(running.url, document, variables, running.adminHeaders);
      expect(response.errors).toBeUndefined();
      return response.data as TData;
    };

    const workflows = (await gql(WorkflowsDocument)).workflows.nodes;
    expect(workflows.map((workflow) => [workflow.name, workflow.version, workflow.active])).toEqual([
      ['business_activation', 1, true],
      ['customer_renewal_process', 1, true],
      ['isp_ticket_to_deployment', 1, true],
      ['late_win_invoicing', 1, true],
      ['lead_to_customer_onboarding', 1, true],
      ['lead_to_opportunity', 1, true],
      ['opportunity_follow_up', 1, true],
      ['partner_customer_provisioning', 1, true],
      ['payment_processing', 1, true],
      ['payment_refund', 1, true],
      ['quote_accepted_to_order', 1, true],
    ]);
    // As src/workflows defines them for this tenant, triggers included.
    for (const builtIn of builtInWorkflows({ tenantId: running.adminTenantId })) {
      const saved = workflows.find((workflow) => workflow.name === builtIn.name);
      expect(saved?.definition).toEqual(builtIn.definition);
      expect(saved?.tags).toEqual(builtIn.tags);
    }

    const catalog = await gql(DomainCatalogDocument);
    expect(catalog.plans.map((plan) => plan.code)).toEqual(['basic-annual', 'basic-monthly', 'pro-annual', 'pro-monthly']);
    expect(catalog.partners).toEqual([expect.objectContaining({ code: 'demo-partner', seatsTotal: 50 })]);
    expect((await gql(DomainLeadsDocument, { status: 'QUALIFIED' })).leads.map((lead) => lead.email)).toEqual([
      'jordan.lee@initech.example',
    ]);
    expect((await gql(DomainQuotesDocument, { status: 'SENT' })).quotes.map((quote) => quote.number)).toEqual(['Q-DEMO-0001']);
    const customers = (await gql(DomainCustomersDocument)).customers;
    expect(customers.map((customer) => customer.email).sort()).toEqual(['ada@homestead.example', 'ops@globex.example']);
    expect((await gql(DomainTicketsDocument)).tickets).toEqual([
      expect.objectContaining({
        kind: 'INSTALLATION',
        status: 'OPEN',
        customerId: customers.find((customer) => customer.email === 'ada@homestead.example')?.id,
      }),
    ]);
    const globex = customers.find((customer) => customer.email === 'ops@globex.example');
    expect((await gql(DomainCommercialRecordsDocument, { customerId: globex?.id ?? null })).subscriptions).toEqual([
      expect.objectContaining({ planCode: 'pro-monthly', status: 'active' }),
    ]);
    const [survey] = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ status: string; cpe_serial: string; service_location: string }[]>(
        'select status, cpe_serial, service_location from site_surveys',
      );
    expect(survey).toEqual({ status: 'completed', cpe_serial: 'DEMO-CPE-0001', service_location: 'demo-pop-1' });

    const before = await fingerprint(server);
    await server.stop();
    server = await start();
    expect(await fingerprint(server)).toEqual(before);
  });

  it('finishes a first start interrupted before all the workflows were saved, and leaves a database in use without demo data', async () => {
    // Interrupted: the demo data is there, one built-in workflow is not.
    const connection = server?.orm.em.fork().getConnection();
    await connection?.execute(
      `delete from workflow_versions where workflow_id in (select id from workflows where name = 'isp_ticket_to_deployment')`,
    );
    await connection?.execute(`delete from workflows where name = 'isp_ticket_to_deployment'`);
    await server?.stop();
    server = await start();
    const names = (await server.orm.em.fork().getConnection().execute<{ name: string }[]>('select name from workflows order by name')).map(
      (row) => row.name,
    );
    expect(names).toEqual([
      'business_activation',
      'customer_renewal_process',
      'isp_ticket_to_deployment',
      'late_win_invoicing',
      'lead_to_customer_onboarding',
      'lead_to_opportunity',
      'opportunity_follow_up',
      'partner_customer_provisioning',
      'payment_processing',
      'payment_refund',
      'quote_accepted_to_order',
    ]);
    expect((await server.orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*)::int as n from customers'))[0]?.n).toBe(2);
    await server.stop();
    server = undefined;

    // In use: its admin was made by an earlier start that seeded nothing else (a test server here).
    const inUse = await createTestDatabase();
    try {
      const plain = await startTestServer({ databaseUrl: inUse.url });
      await plain.stop();
      const later = await startTestServer({ databaseUrl: inUse.url, env: { SWITCHYARD_DEMO_DATA: 'true', LOG_LEVEL: 'silent' } });
      try {
        const counts = await later.orm.em
          .fork()
          .getConnection()
          .execute<{ workflows: number; customers: number; plans: number }[]>(
            'select (select count(*)::int from workflows) as workflows, (select count(*)::int from customers) as customers, (select count(*)::int from plans) as plans',
          );
        expect(counts[0]).toEqual({ workflows: 0, customers: 0, plans: 0 });
      } finally {
        await later.stop();
      }
    } finally {
      await inUse.drop();
    }
  });

  it('without demo data (production) gives the default tenant the built-in workflows inactive, with the e-mail templates they send', async () => {
    const production = await createTestDatabase();
    try {
      const running = await startTestServer({ databaseUrl: production.url, env: { SWITCHYARD_BUILT_IN_WORKFLOWS: 'inactive' } });
      try {
        const connection = running.orm.em.fork().getConnection();
        const workflows = await connection.execute<{ name: string; active: boolean }[]>('select name, active from workflows order by name');
        expect(workflows).toEqual(
          builtInWorkflows({ tenantId: running.adminTenantId })
            .map((workflow) => ({ name: workflow.name, active: false }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        );
        const counts = await connection.execute<{ held: number; templates: number; customers: number }[]>(
          'select (select count(*)::int from built_in_workflows) as held, (select count(*)::int from email_templates) as templates, (select count(*)::int from customers) as customers',
        );
        expect(counts[0]).toEqual({ held: workflows.length, templates: Object.keys(DEMO_EMAIL_TEMPLATES).length, customers: 0 });
      } finally {
        await running.stop();
      }
    } finally {
      await production.drop();
    }
  });
});
