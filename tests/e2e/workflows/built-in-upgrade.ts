import type { JsonObject } from '../../../src/entities/json.js';
import { LEGACY_BUILT_IN_BACKFILL_SQL } from '../../../src/entities/migrations/Migration20261204010000_built_in_revisions.js';
import { builtInWorkflows } from '../../../src/workflows/index.js';
import { BuiltInWorkflowStatusesDocument, RestoreBuiltInWorkflowDocument } from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

interface WorkflowRow {
  name: string;
  version: number;
  active: boolean;
  definition: JsonObject;
}

interface HeldRow {
  name: string;
  revision: number;
  version: number;
}

/** An older revision of a definition: what a database seeded by an earlier release holds. */
function older(definition: JsonObject, description = 'as an earlier release seeded it'): JsonObject {
  const [first, ...rest] = definition['steps'] as JsonObject[];
  return { ...definition, steps: [{ ...first, description }, ...rest] };
}

/**
 * A database seeded by a release that kept no revisions, started by this one: every built-in the tenant
 * did not edit is brought to this release's definition as a new version (or only recorded, when its
 * definition is this one already), one it edited is kept, a workflow of a built-in's name it made itself
 * is left alone, and a third start changes nothing.
 */
describe('built-in workflows in a database seeded by an earlier release', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;
  const start = () => startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_DEMO_DATA: 'true', LOG_LEVEL: 'silent' } });
  const sql = <T extends object>(running: TestServer, query: string, params: unknown[] = []) =>
    running.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const workflows = (running: TestServer) =>
    sql<WorkflowRow>(
      running,
      `select w.name, w.current_version as version, w.active, v.definition from workflows w
       join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version order by w.name`,
    );
  const held = (running: TestServer) => sql<HeldRow>(running, 'select name, revision, version from built_in_workflows order by name');

  it('upgrades what the tenant left as seeded, keeps its edits and its own workflows, and changes nothing the next time', async () => {
    server = await start();
    const tenantId = server.adminTenantId;
    const catalog = new Map(builtInWorkflows({ tenantId }).map((workflow) => [workflow.name, workflow]));
    expect((await held(server)).map((row) => [row.name, row.revision, row.version])).toEqual(
      [...catalog.values()].map((workflow) => [workflow.name, workflow.revision, 1]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

    // The earlier release's database: older first versions (kept as jsonb alone), nothing recorded, then what its tenant did.
    const definitionOf = (name: string) => catalog.get(name)?.definition as unknown as JsonObject;
    for (const name of ['lead_to_opportunity', 'payment_processing', 'payment_refund']) {
      await sql(
        server,
        `update workflow_versions set definition = ?, authored_definition = null where version = 1 and workflow_id = (select id from workflows where name = ?)`,
        [JSON.stringify(older(definitionOf(name))), name],
      );
    }
    await sql(server, 'delete from built_in_workflows');
    // Edited: the tenant saved a version of its own.
    const edited = older(definitionOf('payment_refund'), "the tenant's own refund flow");
    await server.engine.workflows.save({ tenantId, name: 'payment_refund', definition: edited });
    // Deactivated by the tenant, not edited.
    await server.engine.workflows.deactivate(tenantId, 'payment_processing');
    // A workflow of a built-in's name that the tenant made itself (no `built-in` tag).
    await sql(server, `delete from workflow_versions where workflow_id = (select id from workflows where name = 'opportunity_follow_up')`);
    await sql(server, `delete from workflows where name = 'opportunity_follow_up'`);
    const own = { steps: [{ name: 'note', type: 'transform', expression: '"our own follow-up"' }] };
    await server.engine.workflows.save({ tenantId, name: 'opportunity_follow_up', definition: own, tags: ['crm'] });
    // A built-in of a later release (late_win_invoicing) it never had.
    await sql(server, `delete from workflow_versions where workflow_id = (select id from workflows where name = 'late_win_invoicing')`);
    await sql(server, `delete from workflows where name = 'late_win_invoicing'`);
    // What the migration does to such a database.
    await sql(server, LEGACY_BUILT_IN_BACKFILL_SQL);
    expect((await held(server)).map((row) => [row.name, row.revision, row.version])).toEqual(
      [...catalog.keys()]
        .filter((name) => name !== 'opportunity_follow_up' && name !== 'late_win_invoicing')
        .sort()
        .map((name) => [name, 1, 1]),
    );
    await server.stop();

    server = await start();
    const after = new Map((await workflows(server)).map((row) => [row.name, row]));
    // Older and unedited: a new version with this release's definition; deactivated stays deactivated.
    expect(after.get('lead_to_opportunity')).toMatchObject({ version: 2, active: true, definition: definitionOf('lead_to_opportunity') });
    expect(after.get('payment_processing')).toMatchObject({ version: 2, active: false, definition: definitionOf('payment_processing') });
    const [firstVersion] = await sql<{ definition: JsonObject }>(
      server,
      `select v.definition from workflow_versions v join workflows w on w.id = v.workflow_id where w.name = 'lead_to_opportunity' and v.version = 1`,
    );
    expect(firstVersion?.definition).toEqual(older(definitionOf('lead_to_opportunity')));
    // Edited: kept, its record still names the built-in's version it was edited from.
    expect(after.get('payment_refund')).toMatchObject({ version: 2, active: true, definition: edited });
    // The tenant's own: untouched, not claimed.
    expect(after.get('opportunity_follow_up')).toMatchObject({ version: 1, definition: own });
    // The rest held this definition already: recorded, no new version (late_win_invoicing, new in this release: created).
    for (const name of [
      'business_activation',
      'customer_renewal_process',
      'isp_ticket_to_deployment',
      'late_win_invoicing',
      'lead_to_customer_onboarding',
      'partner_customer_provisioning',
      'quote_accepted_to_order',
    ]) {
      expect(after.get(name)).toMatchObject({ version: 1, definition: definitionOf(name) });
    }
    const revision = (name: string) => catalog.get(name)?.revision;
    expect(await held(server)).toEqual([
      { name: 'business_activation', revision: revision('business_activation'), version: 1 },
      { name: 'customer_renewal_process', revision: revision('customer_renewal_process'), version: 1 },
      { name: 'isp_ticket_to_deployment', revision: revision('isp_ticket_to_deployment'), version: 1 },
      { name: 'late_win_invoicing', revision: revision('late_win_invoicing'), version: 1 },
      { name: 'lead_to_customer_onboarding', revision: revision('lead_to_customer_onboarding'), version: 1 },
      { name: 'lead_to_opportunity', revision: revision('lead_to_opportunity'), version: 2 },
      { name: 'partner_customer_provisioning', revision: revision('partner_customer_provisioning'), version: 1 },
      { name: 'payment_processing', revision: revision('payment_processing'), version: 2 },
      { name: 'payment_refund', revision: 1, version: 1 },
      { name: 'quote_accepted_to_order', revision: revision('quote_accepted_to_order'), version: 1 },
    ]);

    // As the tenant sees it through the API, and taking the built-in back over its edit.
    const statuses = await execute(server.url, BuiltInWorkflowStatusesDocument, undefined, server.adminHeaders);
    expect(statuses.errors).toBeUndefined();
    const byName = new Map(statuses.data?.workflows.nodes.map((node) => [node.name, node.builtIn]));
    expect(byName.get('lead_to_opportunity')).toEqual({
      revision: revision('lead_to_opportunity'),
      heldRevision: revision('lead_to_opportunity'),
      givenVersion: 2,
      state: 'CURRENT',
    });
    expect(byName.get('payment_refund')).toEqual({
      revision: revision('payment_refund'),
      heldRevision: 1,
      givenVersion: 1,
      state: 'EDITED',
    });
    expect(byName.get('opportunity_follow_up')).toEqual({
      revision: revision('opportunity_follow_up'),
      heldRevision: null,
      givenVersion: null,
      state: 'TENANTS_OWN',
    });
    const restored = await execute(server.url, RestoreBuiltInWorkflowDocument, { name: 'payment_refund' }, server.adminHeaders);
    expect(restored.errors).toBeUndefined();
    expect(restored.data?.restoreBuiltInWorkflow).toEqual({
      name: 'payment_refund',
      version: 3,
      builtIn: { state: 'CURRENT', heldRevision: revision('payment_refund'), givenVersion: 3 },
    });
    expect((await workflows(server)).find((row) => row.name === 'payment_refund')?.definition).toEqual(definitionOf('payment_refund'));
    const unknown = await execute(server.url, RestoreBuiltInWorkflowDocument, { name: 'no_such_built_in' }, server.adminHeaders);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });

    const versionsBefore = await sql(
      server,
      'select w.name, v.version, v.definition from workflow_versions v join workflows w on w.id = v.workflow_id order by 1, 2',
    );
    const heldBefore = await sql(server, 'select * from built_in_workflows order by name');
    await server.stop();
    server = await start();
    expect(
      await sql(
        server,
        'select w.name, v.version, v.definition from workflow_versions v join workflows w on w.id = v.workflow_id order by 1, 2',
      ),
    ).toEqual(versionsBefore);
    expect(await sql(server, 'select * from built_in_workflows order by name')).toEqual(heldBefore);
  });
});
