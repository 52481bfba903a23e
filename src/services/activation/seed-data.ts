import { z } from 'zod';
import { LedgerAccount, type LedgerAccountType } from '../../entities/domain/ledger-account.entity.js';
import { OPPORTUNITY_STAGES, STAGE_PROBABILITY } from '../../entities/domain/opportunity.entity.js';
import { TaxRate } from '../../entities/domain/tax-rate.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { uuid } from '../shared/schemas.js';
import { ensureEmailTemplates } from '../operations-demo-data.js';
import { defineServiceMethod } from '../registry.js';
import { activationOf } from './activation-records.js';

/** A small business's chart of accounts (codes by the usual 1xxx–5xxx ranges). */
export const CHART_OF_ACCOUNTS: ReadonlyArray<[code: string, name: string, type: LedgerAccountType]> = [
  ['1000', 'Cash', 'asset'],
  ['1100', 'Accounts receivable', 'asset'],
  ['1200', 'Payment provider clearing', 'asset'],
  ['2000', 'Accounts payable', 'liability'],
  ['2100', 'Tax payable', 'liability'],
  ['3000', "Owner's equity", 'equity'],
  ['4000', 'Sales', 'revenue'],
  ['4100', 'Subscriptions', 'revenue'],
  ['5000', 'Cost of sales', 'expense'],
  ['5100', 'Payment fees', 'expense'],
];

/** What the new tenant's workflows send (payment_processing's invoice, payment_refund's notice, the welcome, order confirmations). */
export const SEEDED_TEMPLATES = ['customer_welcome', 'order_confirmation', 'invoice_issued', 'payment_refunded'] as const;

/**
 * activation.seedTenantData(activationId) → {tenantId, accounts, emailTemplates, taxRate, pipelineStages}
 *
 * The business's starting data in its own tenant (seed 003 §1, step 8): the chart of accounts and the
 * e-mail templates (each made unless there), its region's tax rate and the CRM pipeline's stages with their
 * probabilities (shared reference data, named here).
 */
export const seedTenantData = defineServiceMethod({
  service: 'activation',
  method: 'seedTenantData',
  description: "Seeds the business tenant's chart of accounts and e-mail templates.",
  effects: 'local',
  input: z.object({ activationId: uuid }),
  async run(ctx, input) {
    const { activation, tenant } = await activationOf(ctx, input.activationId);
    for (const [code, name, type] of CHART_OF_ACCOUNTS) {
      if (!(await ctx.em.findOne(LedgerAccount, { tenant: tenant.id, code }))) {
        ctx.em.create(LedgerAccount, { tenant: ctx.em.getReference(Tenant, tenant.id), code, name, type, createdAt: ctx.now });
      }
    }
    const templates = await ensureEmailTemplates(ctx.em, tenant.id, SEEDED_TEMPLATES);
    await ctx.em.flush();
    const tax = await ctx.em.findOneOrFail(TaxRate, { region: activation.region });
    return {
      tenantId: tenant.id,
      accounts: CHART_OF_ACCOUNTS.map(([code, name]) => `${code} ${name}`),
      emailTemplates: Object.keys(templates),
      taxRate: { region: tax.region, label: tax.label, rateMicros: tax.rateMicros },
      pipelineStages: OPPORTUNITY_STAGES.map((stage) => ({ stage, probability: STAGE_PROBABILITY[stage] })),
    };
  },
});
