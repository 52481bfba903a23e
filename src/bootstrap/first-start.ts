import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { bootstrapAdmin, DEFAULT_TENANT_SLUG, type AdminSettings, type BootstrapResult } from '../auth/bootstrap-admin.js';
import type { Engine } from '../engine/index.js';
import { Customer } from '../entities/customer.entity.js';
import { Workflow } from '../entities/workflow.entity.js';
import { Tenant } from '../entities/tenant.entity.js';
import type { Logger } from '../logger.js';
import { builtInWorkflows, seedBuiltInWorkflows, upgradeBuiltInWorkflows, type SeededWorkflow } from '../workflows/index.js';
import type { BuiltInSeeding } from '../config.js';
import { DEMO_EMAIL_TEMPLATES, ensureEmailTemplates } from '../services/operations-demo-data.js';
import { DEMO_ISP_CUSTOMER_EMAIL, seedDemoData, type DemoData } from './demo-data.js';

export interface FirstStartOptions {
  orm: MikroORM;
  engine: Engine;
  admin: AdminSettings;
  /** Seed the demo data and the built-in workflows (off for test servers, which make their own). */
  demo: boolean;
  /** Without demo data: seed the built-in workflows (and the e-mail templates they send) inactive, active, or not at all. */
  builtIns: BuiltInSeeding;
  logger: Logger;
}

export interface FirstStartResult {
  admin: BootstrapResult;
  /** Present when this start seeded the default tenant. */
  demo?: { tenantId: string; data: DemoData; workflows: SeededWorkflow[] };
  /** Present when this start, without demo data, gave the default tenant the built-in workflows. */
  builtIns?: { tenantId: string; workflows: SeededWorkflow[] };
}

/**
 * What a fresh database gets on its first start: the default tenant and its admin (bootstrapAdmin), then
 * the demo data and the built-in workflows in that tenant, so every built-in workflow runs straight
 * away. The demo is seeded when this start created the admin — a database already in use is never given
 * demo data — or to finish a first start interrupted after the demo data and before all the built-in
 * workflows were saved (they go last). Every start first brings the built-in workflows of each tenant
 * that has them up to this release (workflows/seed.ts): newer revisions of those the tenant has not
 * edited, and built-ins it lacks. A second start changes nothing.
 */
export async function seedFirstStart(options: FirstStartOptions): Promise<FirstStartResult> {
  const admin = await bootstrapAdmin(options.orm, options.admin);
  // Every start: tenants given the built-ins get this release's newer revisions and new built-ins.
  await upgradeBuiltInWorkflows(options.engine, { em: options.orm.em, logger: options.logger });
  const em = options.orm.em.fork();
  const tenant = await em.findOne(Tenant, { slug: DEFAULT_TENANT_SLUG });
  if (!tenant) return { admin };
  if (!options.demo) {
    if (!admin.created || options.builtIns === 'none') return { admin };
    return { admin, builtIns: { tenantId: tenant.id, workflows: await seedBuiltIns(options, tenant.id) } };
  }
  if (!admin.created && !(await interruptedFirstStart(em, tenant.id))) return { admin };

  const data = await seedDemoData(options.orm.em, tenant.id);
  const workflows = await seedBuiltInWorkflows(options.engine, tenant.id, { em: options.orm.em, logger: options.logger });
  options.logger.info(
    { tenantId: tenant.id, workflows: workflows.filter((workflow) => workflow.created).map((workflow) => workflow.name) },
    'first start: demo data and built-in workflows seeded',
  );
  return { admin, demo: { tenantId: tenant.id, data, workflows } };
}

/**
 * A production first start's built-ins: the e-mail templates they send (made unless the tenant has one by
 * that name), then the workflows, deactivated unless `active` — an operator turns on the ones the business
 * wants (activateWorkflow), and no event starts one before. Recorded as any built-in, so later releases
 * upgrade them (a deactivated one stays deactivated). A start stopped half-way leaves the rest to the next
 * start's upgrade, which creates them active.
 */
async function seedBuiltIns(options: FirstStartOptions, tenantId: string): Promise<SeededWorkflow[]> {
  await options.orm.em.fork().transactional(async (tx) => {
    await ensureEmailTemplates(tx, tenantId, Object.keys(DEMO_EMAIL_TEMPLATES));
    await tx.flush();
  });
  const workflows = await seedBuiltInWorkflows(options.engine, tenantId, { em: options.orm.em, logger: options.logger });
  if (options.builtIns === 'inactive') {
    for (const workflow of workflows.filter((each) => each.created)) await options.engine.workflows.deactivate(tenantId, workflow.name);
  }
  options.logger.info(
    { tenantId, active: options.builtIns === 'active', workflows: workflows.filter((each) => each.created).map((each) => each.name) },
    'first start: built-in workflows seeded',
  );
  return workflows;
}

/** The demo data committed (one transaction: its ISP customer stands for all of it), yet not every built-in workflow saved. */
async function interruptedFirstStart(em: EntityManager, tenantId: string): Promise<boolean> {
  if ((await em.count(Customer, { tenant: tenantId, email: DEMO_ISP_CUSTOMER_EMAIL })) === 0) return false;
  const names = builtInWorkflows({ tenantId }).map((workflow) => workflow.name);
  return (await em.count(Workflow, { tenant: tenantId, name: { $in: names } })) < names.length;
}
