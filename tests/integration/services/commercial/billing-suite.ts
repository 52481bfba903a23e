import type { Tenant } from '../../../../src/entities/index.js';
import type { Plan } from '../../../../src/entities/domain/plan.entity.js';
import { createLedgerPaymentProvider, DEFAULT_LEDGER_LIMITS } from '../../../../src/services/billing/ledger-payment-provider.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

/** What every billing suite starts from: its own database, two tenants, and a monthly and an annual plan of the first. */
export interface BillingSuite {
  h: CommercialHarness;
  tenant: Tenant;
  otherTenant: Tenant;
  monthly: Plan;
  annual: Plan;
}

export async function startBillingSuite(): Promise<BillingSuite> {
  const h = await startCommercialHarness({
    paymentProvider: createLedgerPaymentProvider({ limits: { ...DEFAULT_LEDGER_LIMITS, card: 200_000 } }),
  });
  const tenant = await h.fixtures.tenant();
  const otherTenant = await h.fixtures.tenant();
  const monthly = await h.fixtures.plan(tenant.id, { code: 'pro-monthly', billingCycle: 'monthly', priceAmount: 9_900 });
  const annual = await h.fixtures.plan(tenant.id, { code: 'pro-annual', billingCycle: 'annual', priceAmount: 99_000 });
  return { h, tenant, otherTenant, monthly, annual };
}
