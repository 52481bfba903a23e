import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BusinessActivationsDocument, DomainExecuteWorkflowDocument, MeDocument, RetryExecutionDocument } from '../../generated/graphql.js';
import { startFakeChatCompletions, type FakeChatCompletions } from '../../helpers/fake-chat-completions.js';
import { startFakeKubernetes, type FakeKubernetes } from '../../helpers/fake-kubernetes.js';
import { execute } from '../../helpers/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startFakePowerDns, type FakePowerDns } from '../../helpers/fake-powerdns.js';
import { startFakeS3, type FakeS3 } from '../../helpers/fake-s3.js';
import { tokenFromInbox } from '../../integration/people/support.js';
import pg from 'pg';
import { startWorkflowHarness, step, stepStatuses, type WorkflowHarness } from './harness.js';

const NAMESPACED = [
  'NetworkPolicy/tenant-isolation',
  'ResourceQuota/tenant-quota',
  'RoleBinding/tenant-app-edit',
  'ServiceAccount/tenant-app',
];

/**
 * Issue 18, seed 003 §1: business_activation through the GraphQL API, against a fake Kubernetes API server,
 * a fake chat-completions model, a fake S3 and a fake PowerDNS, all speaking their real protocols over HTTP,
 * and a real PostgreSQL database for the tenants' schemas.
 */
describe('business_activation (seed 003 §1): tenant, preset, namespace, data stores, integrations, seed data, DNS, copilots', () => {
  let h: WorkflowHarness;
  let cluster: FakeKubernetes;
  let model: FakeChatCompletions;
  let s3: FakeS3;
  let pdns: FakePowerDns;
  let tenantDatabase: TestDatabase;

  beforeAll(async () => {
    cluster = await startFakeKubernetes();
    model = await startFakeChatCompletions();
    s3 = await startFakeS3();
    pdns = await startFakePowerDns('switchyard.localhost');
    tenantDatabase = await createTestDatabase({ empty: true });
    h = await startWorkflowHarness({
      env: {
        KUBERNETES_API_URL: cluster.url,
        KUBERNETES_TOKEN: cluster.token,
        CERT_MANAGER_ISSUER: 'ClusterIssuer/letsencrypt-staging',
        COPILOT_API_URL: model.url,
        COPILOT_API_KEY: 'sk-fake-copilot',
        COPILOT_MODEL: 'gpt-4o-mini',
        TENANT_DATABASE_URL: tenantDatabase.url,
        S3_ENDPOINT: s3.url,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        POWERDNS_API_URL: pdns.url,
        POWERDNS_API_KEY: pdns.apiKey,
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await cluster?.stop();
    await model?.stop();
    await s3?.stop();
    await pdns?.stop();
    await tenantDatabase?.drop();
  });
  /** The schemas of the tenants' database, with their owners. */
  const schemas = async (like: string) => {
    const client = new pg.Client({ connectionString: tenantDatabase.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ schema: string; owner: string }>(
        'select n.nspname as schema, r.rolname as owner from pg_namespace n join pg_roles r on r.oid = n.nspowner where n.nspname like $1',
        [like],
      );
      return rows;
    } finally {
      await client.end();
    }
  };
  /** The fake PowerDNS's record sets under a name. */
  const recordsUnder = (domain: string) => [...pdns.rrsets.keys()].filter((key) => key.split(' ')[0]?.endsWith(`${domain}.`)).sort();

  const input = (name: string, email: string) => ({
    business_name: name,
    region: 'DE',
    currency: 'EUR',
    industry: 'ecommerce',
    channels: ['web', 'email', 'whatsapp'],
    payments: ['ledger', 'stripe'],
    admin_email: email,
    plan: 'growth',
    features: { email_marketing: false, loyalty: true },
  });
  const tenantOf = async (tenantId: string) =>
    (await h.query<{ slug: string; suspended_at: Date | null }>('select slug, suspended_at from tenants where id = ?', [tenantId]))[0];
  const resources = async (tenantId: string) =>
    h.query<{ kind: string; name: string; provider: string; status: string }>(
      'select r.kind, r.name, r.provider, r.status from activation_resources r join business_activations a on a.id = r.activation_id where a.activated_tenant_id = ? order by r.kind, r.name',
      [tenantId],
    );

  it('activates a business end to end: its tenant and invited admin, its namespace in the cluster, seed data, DNS, tested copilots', async () => {
    const id = await h.run('business_activation', input('Nordwind Handel GmbH', 'owner@nordwind.example'));
    const run = await h.waitFor(id);
    expect(run.status).toBe('COMPLETED');
    expect(Object.entries(stepStatuses(run)).filter(([, status]) => status !== 'COMPLETED')).toEqual([]);

    const result = run.result as {
      tenantId: string;
      tenantSlug: string;
      status: string;
      endpoints: Record<string, string | null>;
      credentials: Record<string, string>;
      modules: string[];
      nextSteps: string[];
    };
    expect(result).toMatchObject({
      tenantSlug: 'nordwind-handel-gmbh',
      status: 'active',
      credentials: { adminEmail: 'owner@nordwind.example', adminInvitation: 'pending', deliveredTo: 'welcome_email' },
    });
    expect(result.endpoints).toMatchObject({
      webConsole: 'https://nordwind-handel-gmbh.switchyard.localhost',
      storefront: 'https://www.nordwind-handel-gmbh.switchyard.localhost',
    });
    expect(result.modules).toEqual(['analytics', 'cart', 'checkout', 'crm', 'inventory', 'loyalty', 'payments', 'storefront']);
    expect(result.nextSteps).toHaveLength(9);
    // No secret in any output: no password exists, no key or webhook secret is shown.
    expect(JSON.stringify(run.steps.map((each) => each.output))).not.toMatch(/whsec_[A-Za-z0-9]{8}|sy_[0-9a-f]{12}_|"(temp_?)?password"/i);

    // Its first API key and the admin's invitation: hashed at rest, in plain text only in the welcome e-mail.
    const welcome = await h.query<{ text: string }>(
      "select payload->>'text' as text from outbox_messages where tenant_id = ? and payload->>'template' = 'business_activated'",
      [result.tenantId],
    );
    const key = /^sy_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/m.exec(welcome[0]?.text ?? '')?.[0] ?? 'no key';
    const token = await tokenFromInbox(h.server, 'owner@nordwind.example', 'business_activated');
    expect(welcome).toHaveLength(1);
    expect(key.slice(3, 15)).toBe(result.credentials['apiKeyPrefix']);
    const recorded = await h.query<{ data: string }>(
      `select coalesce(s.input::text, '') || coalesce(s.output::text, '') as data from execution_steps s where s.execution_id = ?
       union all select e.context::text || coalesce(e.result::text, '') from executions e where e.id = ?
       union all select payload::text from execution_events where execution_id = ?
       union all select result::text || secret_hash from business_activations, api_keys where activated_tenant_id = ? and prefix = ?`,
      [id, id, id, result.tenantId, result.credentials['apiKeyPrefix']],
    );
    expect(recorded.length).toBeGreaterThan(20);
    for (const secret of [key, key.slice(16), token]) expect(recorded.filter((row) => row.data.includes(secret))).toEqual([]);
    const me = await execute(h.server.url, MeDocument, undefined, { authorization: `Bearer ${key}` });
    expect(me.data?.me).toMatchObject({
      kind: 'API_KEY',
      tenant: { id: result.tenantId },
      permissions: expect.arrayContaining(['WORKFLOW_EXECUTE']),
    });
    expect(me.data?.me.permissions).not.toContain('APIKEY_MANAGE');

    // The tenant and its admin, invited through the outbox; its payments webhook secret; the operator's record.
    expect(await tenantOf(result.tenantId)).toMatchObject({ slug: 'nordwind-handel-gmbh', suspended_at: null });
    const [admin] = await h.query<{ role: string }>('select role from users where tenant_id = ? and email = ?', [
      result.tenantId,
      'owner@nordwind.example',
    ]);
    expect(admin?.role).toBe('admin');
    const secrets = await h.query<{ n: number }>(
      "select count(*)::int as n from webhook_secrets where tenant_id = ? and source = 'payments' and expires_at is null",
      [result.tenantId],
    );
    expect(secrets[0]?.n).toBe(1);
    const [activation] = await h.query<{ status: string; tenant_id: string }>(
      'select status, tenant_id from business_activations where activated_tenant_id = ?',
      [result.tenantId],
    );
    expect(activation).toEqual({ status: 'active', tenant_id: h.tenantId });

    // The cluster holds the namespace, its isolation and quota, and one copilot ConfigMap a module.
    const namespace = 'tenant-nordwind-handel-gmbh';
    expect(cluster.namespaces()).toContain(namespace);
    expect(cluster.inNamespace(namespace)).toEqual(
      expect.arrayContaining([...NAMESPACED, 'ConfigMap/copilot-storefront', 'ConfigMap/copilot-loyalty']),
    );
    const quota = cluster.objects.get(`/api/v1/namespaces/${namespace}/resourcequotas/tenant-quota`);
    expect(quota).toMatchObject({ spec: { hard: { 'requests.cpu': '8', 'requests.memory': '16Gi', pods: '80' } } });
    expect(step(run, 'create_namespace').output).toMatchObject({
      provider: 'kubernetes',
      applied: true,
      namespace,
      objects: [{ kind: 'Namespace', name: namespace, created: true }],
    });
    expect(step(run, 'provision_infrastructure').output).toMatchObject({
      provider: 'kubernetes',
      applied: true,
      namespace,
      objects: expect.not.arrayContaining([expect.objectContaining({ kind: 'Namespace' })]),
    });

    // Seed data in the new tenant.
    const accounts = await h.query<{ n: number }>('select count(*)::int as n from ledger_accounts where tenant_id = ?', [result.tenantId]);
    expect(accounts[0]?.n).toBe(10);
    const templates = await h.query<{ name: string }>('select name from email_templates where tenant_id = ? order by name', [
      result.tenantId,
    ]);
    expect(templates.map((row) => row.name)).toEqual(['customer_welcome', 'invoice_issued', 'order_confirmation', 'payment_refunded']);
    expect(step(run, 'seed_data').output).toMatchObject({ taxRate: { region: 'DE', label: 'VAT 19 %' } });

    // Integrations: the ledger ready, Stripe and WhatsApp awaiting the business's credentials.
    expect(step(run, 'configure_integrations').output).toMatchObject({
      integrations: expect.arrayContaining([
        { name: 'payments:ledger', status: 'ready' },
        { name: 'payments:stripe', status: 'awaiting_credentials' },
        { name: 'channel:whatsapp', status: 'awaiting_credentials' },
      ]),
    });
    // DNS: written to PowerDNS, e-mail records with the e-mail channel; the certificate a cert-manager Certificate for cert-manager to sign.
    const dns = step(run, 'configure_dns').output as { provider: string; applied: boolean; records: Array<{ type: string; name: string }> };
    expect(dns).toMatchObject({
      provider: 'powerdns',
      applied: true,
      certificate: {
        provider: 'cert-manager',
        applied: true,
        name: 'tenant-tls',
        issuer: 'ClusterIssuer/letsencrypt-staging',
        issued: false,
      },
    });
    expect(cluster.objects.get(`/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/tenant-tls`)).toMatchObject({
      apiVersion: 'cert-manager.io/v1',
      spec: {
        secretName: 'tenant-tls',
        dnsNames: [
          'nordwind-handel-gmbh.switchyard.localhost',
          'www.nordwind-handel-gmbh.switchyard.localhost',
          'api.nordwind-handel-gmbh.switchyard.localhost',
        ],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-staging' },
      },
    });
    expect(dns.records.map((record) => `${record.type} ${record.name}`)).toEqual(
      expect.arrayContaining(['MX nordwind-handel-gmbh.switchyard.localhost', 'TXT _dmarc.nordwind-handel-gmbh.switchyard.localhost']),
    );
    expect(pdns.rrsets.get('nordwind-handel-gmbh.switchyard.localhost. MX')).toEqual(['10 mx.switchyard.localhost.']);
    expect(recordsUnder('nordwind-handel-gmbh.switchyard.localhost')).toHaveLength(7);

    // Data stores: the schema in the tenants' database, owned by its role; the buckets in the object store.
    expect(await schemas('tenant_nordwind%')).toEqual([
      { schema: 'tenant_nordwind_handel_gmbh', owner: 'tenant_nordwind_handel_gmbh_owner' },
    ]);
    expect([...s3.buckets.keys()]).toEqual(
      expect.arrayContaining(['tenant-nordwind-handel-gmbh-files', 'tenant-nordwind-handel-gmbh-backups']),
    );
    expect(step(run, 'setup_data_stores').output).toMatchObject({
      database: { provider: 'postgresql', applied: true, created: true },
      bucketStore: { provider: 's3', applied: true, created: ['tenant-nordwind-handel-gmbh-files', 'tenant-nordwind-handel-gmbh-backups'] },
      cacheNamespace: `tenant:${result.tenantId}:`,
    });

    // Copilots: the configured model asked once a module, its answers scrubbed of personal data.
    const copilots = step(run, 'enable_copilots').output as {
      provider: string;
      copilots: Array<{ module: string; model: string; reply: string }>;
    };
    expect(copilots.provider).toBe('openai-compatible');
    expect(copilots.copilots.map((each) => each.module)).toEqual(result.modules);
    expect(copilots.copilots[0]).toMatchObject({ model: 'gpt-4o-mini-2024-07-18' });
    expect(copilots.copilots[0]?.reply).toMatch(/\[phone\].*\[email\]/);
    expect(copilots.copilots[0]?.reply).not.toMatch(/help@example\.com|555/);
    const asked = model.requests.filter((request) => request.messages[0]?.content.includes('Nordwind Handel GmbH'));
    expect(asked).toHaveLength(result.modules.length);
    expect(asked[0]).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system' }, { role: 'user' }] });

    expect((await resources(result.tenantId)).every((row) => row.status === 'provisioned')).toBe(true);
  });

  it('undoes the activation in reverse when the Kubernetes API goes down mid-activation; a retry takes the same tenant up again', async () => {
    // The namespace is made; then the API server answers 503 to the copilots' ConfigMaps, every attempt.
    cluster.failMatching(/\/configmaps$/, 3);
    const id = await h.run('business_activation', input('Kaputt Kette AG', 'owner@kaputt.example'));
    const failed = await h.waitFor(id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', step: 'enable_copilots' });
    expect(step(failed, 'enable_copilots').attempts).toBe(3);
    for (const key of ['configure_dns', 'configure_integrations', 'setup_data_stores', 'create_namespace', 'create_tenant_identity']) {
      expect([key, step(failed, key).compensation?.status]).toEqual([key, 'completed']);
    }

    const tenantId = (step(failed, 'create_tenant_identity').output as { tenantId: string }).tenantId;
    const namespace = 'tenant-kaputt-kette-ag';
    expect(cluster.namespaces()).not.toContain(namespace);
    expect(cluster.inNamespace(namespace)).toEqual([]);
    // The Certificate deleted by the DNS step's undo, before the namespace went.
    const certificatePath = `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/tenant-tls`;
    expect(cluster.requests.filter((request) => request.path === certificatePath).map((request) => request.method)).toEqual(['DELETE']);
    // The records deleted from PowerDNS, the buckets from the store, the schema and its role dropped.
    expect(recordsUnder('kaputt-kette-ag.switchyard.localhost')).toEqual([]);
    expect([...s3.buckets.keys()].filter((bucket) => bucket.startsWith('tenant-kaputt-kette-ag'))).toEqual([]);
    expect(await schemas('tenant_kaputt%')).toEqual([]);
    expect((await tenantOf(tenantId))?.suspended_at).not.toBeNull();
    const liveSecrets = await h.query<{ n: number }>(
      'select count(*)::int as n from webhook_secrets where tenant_id = ? and (expires_at is null or expires_at > now())',
      [tenantId],
    );
    expect(liveSecrets[0]?.n).toBe(0);
    // As the API shows it: ROLLED_BACK, every resource REMOVED.
    const listed = (await h.gql(BusinessActivationsDocument, { status: 'ROLLED_BACK', first: 10 })).businessActivations;
    const activation = listed.find((each) => each.tenantId === tenantId);
    expect(activation).toMatchObject({
      executionId: id,
      businessName: 'Kaputt Kette AG',
      status: 'ROLLED_BACK',
      adminEmail: 'owner@kaputt.example',
    });
    expect(activation?.resources.length).toBeGreaterThan(10);
    expect(activation?.resources.filter((resource) => resource.status !== 'REMOVED' || resource.removedAt === null)).toEqual([]);

    // The API server back: the retry reopens the same tenant, makes its namespace again and completes.
    // From the parallel step: a plain retry forgets the compensated steps inside its branches but not the
    // parallel step that holds them, which then never runs them again (an engine matter, noted for it).
    await h.gql(RetryExecutionDocument, { id, fromStep: 'configure' });
    const retried = await h.waitFor(id, (run) => run.status === 'COMPLETED');
    expect((retried.result as { tenantId: string }).tenantId).toBe(tenantId);
    expect((await tenantOf(tenantId))?.suspended_at).toBeNull();
    expect(cluster.inNamespace(namespace)).toEqual(expect.arrayContaining([...NAMESPACED, 'Certificate/tenant-tls']));
    expect(recordsUnder('kaputt-kette-ag.switchyard.localhost')).toHaveLength(7);
    expect([...s3.buckets.keys()].filter((bucket) => bucket.startsWith('tenant-kaputt-kette-ag')).sort()).toEqual([
      'tenant-kaputt-kette-ag-backups',
      'tenant-kaputt-kette-ag-files',
    ]);
    expect(await schemas('tenant_kaputt%')).toEqual([{ schema: 'tenant_kaputt_kette_ag', owner: 'tenant_kaputt_kette_ag_owner' }]);
    expect((await resources(tenantId)).filter((row) => row.status !== 'provisioned')).toEqual([]);
    const tenants = await h.query<{ n: number }>("select count(*)::int as n from tenants where slug like 'kaputt-kette-ag%'");
    expect(tenants[0]?.n).toBe(1);
  });

  it('undoes a step that fails half-way: the namespace made, then the quota refused', async () => {
    // RBAC refuses the token the resource quota: the namespace and its network policy exist by then.
    cluster.failMatching(/\/resourcequotas$/, 1, 403);
    const id = await h.run('business_activation', input('Halbwegs Bau KG', 'owner@halbwegs.example'));
    const failed = await h.waitFor(id);
    expect(failed.error).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', step: 'provision_infrastructure', retryable: false });
    expect(step(failed, 'provision_infrastructure').attempts).toBe(1);
    expect(step(failed, 'create_namespace').compensation?.status).toBe('completed');
    expect(step(failed, 'create_tenant_identity').compensation?.status).toBe('completed');
    expect(cluster.namespaces()).not.toContain('tenant-halbwegs-bau-kg');
    expect(cluster.inNamespace('tenant-halbwegs-bau-kg')).toEqual([]);
    const tenantId = (step(failed, 'create_tenant_identity').output as { tenantId: string }).tenantId;
    expect((await resources(tenantId)).filter((row) => row.status !== 'removed')).toEqual([]);
    expect((await tenantOf(tenantId))?.suspended_at).not.toBeNull();
  });

  it('undoes what setting up the data stores made when a bucket is refused: the schema dropped, the other bucket deleted', async () => {
    // Another account owns the backups bucket's name: the schema and the files bucket are made first.
    s3.othersBuckets.add('tenant-vergeben-ohg-backups');
    try {
      const id = await h.run('business_activation', input('Vergeben OHG', 'owner@vergeben.example'));
      const failed = await h.waitFor(id);
      expect(failed.error).toMatchObject({ code: 'CONFLICT', step: 'setup_data_stores' });
      expect(
        s3.requests
          .filter((request) => request.path === '/tenant-vergeben-ohg-files')
          .map((request) => `${request.method} ${request.status}`),
      ).toEqual(['PUT 200', 'DELETE 204']);
      expect([...s3.buckets.keys()].filter((bucket) => bucket.startsWith('tenant-vergeben-ohg'))).toEqual([]);
      expect(await schemas('tenant_vergeben%')).toEqual([]);
      expect(step(failed, 'create_namespace').compensation?.status).toBe('completed');
      expect(cluster.namespaces()).not.toContain('tenant-vergeben-ohg');
    } finally {
      s3.othersBuckets.clear();
    }
  });

  it('refuses an input outside the schema before any run, and fails a region without a tax rate at its first step', async () => {
    const refused = await execute(
      h.server.url,
      DomainExecuteWorkflowDocument,
      { name: 'business_activation', context: { business_name: 'No Channels', region: 'DE' } },
      h.server.adminHeaders,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION' });

    const id = await h.run('business_activation', { ...input('Nowhere Ltd', 'owner@nowhere.example'), region: 'ZZ' });
    const failed = await h.waitFor(id);
    expect(failed.error).toMatchObject({ code: 'VALIDATION', step: 'validate_input' });
    expect(failed.error?.message).toMatch(/no tax rate for region ZZ/);
    const tenants = await h.query<{ n: number }>("select count(*)::int as n from tenants where slug like 'nowhere-ltd%'");
    expect(tenants[0]?.n).toBe(0);
  });
});
