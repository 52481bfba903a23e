import type { Tenant } from '../../../../src/entities/index.js';
import { seedCommercialDemoData } from '../../../../src/services/commercial-demo-data.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

describe('seedCommercialDemoData', () => {
  let h: CommercialHarness;
  let tenant: Tenant;

  beforeAll(async () => {
    h = await startCommercialHarness({}, 6);
    tenant = await h.fixtures.tenant();
  });
  afterAll(() => h.close());

  it('seeds once: running it again, even concurrently, makes nothing more', async () => {
    const first = await seedCommercialDemoData(h.orm.em.fork(), tenant.id);
    const before = await h.fingerprint();
    const [again, racing] = await Promise.all([
      seedCommercialDemoData(h.orm.em.fork(), tenant.id),
      seedCommercialDemoData(h.orm.em.fork(), tenant.id),
    ]);
    expect(again).toEqual(first);
    expect(racing).toEqual(first);
    expect(await h.fingerprint()).toBe(before);

    expect(await h.count('plans', 'tenant_id = ?', [tenant.id])).toBe(4);
    expect(await h.count('license_templates', 'tenant_id = ?', [tenant.id])).toBe(2);
    expect(await h.count('partners', 'tenant_id = ? and seats_total = 50 and seats_used = 0', [tenant.id])).toBe(1);
    expect(await h.count('leads', `tenant_id = ? and status = 'qualified'`, [tenant.id])).toBe(1);
    expect(await h.count('quotes', `tenant_id = ? and status = 'sent' and total_amount = 149000`, [tenant.id])).toBe(1);
    expect(await h.count('quote_lines', 'quote_id = ?', [first.quoteId])).toBe(2);
    expect(await h.count('subscriptions', `tenant_id = ? and status = 'active' and current_period_end > now()`, [tenant.id])).toBe(1);
  });

  it('is what the built-in workflows need: each of their commercial steps runs on it', async () => {
    const demo = await seedCommercialDemoData(h.orm.em.fork(), tenant.id);
    const call = (service: string, method: string, params: Record<string, unknown>) => h.call(tenant.id, service, method, params);

    // lead_to_customer_onboarding, with the seeds' plan and template names.
    const customer = await call('customer', 'createFromLead', { leadId: demo.leadId, tenantId: tenant.slug });
    await call('billing', 'createSubscription', { customerId: customer.customerId, planId: 'basic-monthly', tenantId: tenant.id });
    const license = await call('license', 'issueLicense', {
      customerId: customer.customerId,
      licenseTemplateId: 'standard-license',
      tenantId: tenant.id,
    });
    await expect(
      call('deployment', 'provisionTenant', { customerId: customer.customerId, licenseKey: license.licenseKey, deploymentType: 'shared' }),
    ).resolves.toMatchObject({
      status: 'provisioned',
    });

    // quote_accepted_to_order.
    await call('crm', 'acceptQuote', { quoteId: demo.quoteId, acceptedBy: 'demo' });
    const order = await call('sales', 'createOrderFromQuote', { quoteId: demo.quoteId, tenantId: tenant.id });
    await expect(
      call('billing', 'processPayment', { orderId: order.orderId, amount: order.totalAmount, paymentMethod: 'card' }),
    ).resolves.toMatchObject({ status: 'succeeded' });

    // partner_customer_provisioning.
    await expect(call('partner', 'checkLicenseQuota', { partnerId: demo.partnerId, requestedLicenses: 5 })).resolves.toMatchObject({
      available: true,
    });
    const partnerCustomer = await call('customer', 'createPartnerCustomer', {
      partnerId: 'demo-partner',
      customerData: { name: 'Soylent', email: 'it@soylent.example' },
    });
    await call('license', 'allocateFromPartner', { partnerId: demo.partnerId, customerId: partnerCustomer.customerId, licenseCount: 5 });
    await call('deployment', 'provisionPartnerTenant', {
      customerId: partnerCustomer.customerId,
      partnerId: demo.partnerId,
      whiteLabelConfig: { displayName: 'Northwind Cloud' },
    });
    await expect(
      call('partner', 'recordCommission', {
        partnerId: demo.partnerId,
        customerId: partnerCustomer.customerId,
        commissionType: 'new_customer',
      }),
    ).resolves.toMatchObject({
      amount: 1_500,
    });

    // customer_renewal_process.
    const demoCustomer = order.customerId;
    await expect(
      call('billing', 'checkRenewalEligibility', { customerId: demoCustomer, subscriptionId: demo.subscriptionId }),
    ).resolves.toMatchObject({ eligible: true });
    const renewal = await call('crm', 'createRenewalQuote', {
      customerId: demoCustomer,
      subscriptionId: demo.subscriptionId,
      renewalTerm: 'monthly',
    });
    await call('crm', 'acceptQuote', { quoteId: renewal.quoteId, acceptedBy: 'demo' });
    await call('billing', 'processRenewalPayment', { customerId: demoCustomer, quoteId: renewal.quoteId });
    await expect(
      call('billing', 'extendSubscription', {
        subscriptionId: demo.subscriptionId,
        extensionPeriod: renewal.termMonths,
        renewalQuoteId: renewal.quoteId,
      }),
    ).resolves.toMatchObject({
      status: 'active',
    });

    // Seeding after the workflows ran leaves their changes alone.
    expect(await seedCommercialDemoData(h.orm.em.fork(), tenant.id)).toEqual(demo);
    expect(await h.count('leads', `id = ? and status = 'converted'`, [demo.leadId])).toBe(1);
    expect(await h.count('quotes', `id = ? and status = 'accepted'`, [demo.quoteId])).toBe(1);
  });
});
