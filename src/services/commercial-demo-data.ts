import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities/customer.entity.js';
import { Lead } from '../entities/domain/lead.entity.js';
import { LicenseTemplate } from '../entities/domain/license-template.entity.js';
import { Partner } from '../entities/domain/partner.entity.js';
import { Plan, type BillingCycle } from '../entities/domain/plan.entity.js';
import { Quote } from '../entities/domain/quote.entity.js';
import { Subscription } from '../entities/domain/subscription.entity.js';
import { SubscriptionEvent } from '../entities/domain/subscription-event.entity.js';
import { addDays, addMonths } from './shared/periods.js';
import { buildQuote } from './crm/quotes.js';

const DEMO_PLANS = [
  { code: 'basic-monthly', name: 'Basic (monthly)', billingCycle: 'monthly', priceAmount: 2_900 },
  { code: 'basic-annual', name: 'Basic (annual)', billingCycle: 'annual', priceAmount: 29_000 },
  { code: 'pro-monthly', name: 'Pro (monthly)', billingCycle: 'monthly', priceAmount: 9_900 },
  { code: 'pro-annual', name: 'Pro (annual)', billingCycle: 'annual', priceAmount: 99_000 },
] as const satisfies readonly { code: string; name: string; billingCycle: BillingCycle; priceAmount: number }[];

const DEMO_LICENSE_TEMPLATES = [
  { code: 'standard-license', name: 'Standard', product: 'switchyard-cloud', seats: 5, validityDays: 365 },
  { code: 'enterprise-license', name: 'Enterprise', product: 'switchyard-cloud', seats: 50, validityDays: 365 },
] as const;

const DEMO_CURRENCY = 'USD';
const DEMO_PARTNER_CODE = 'demo-partner';
const DEMO_LEAD_EMAIL = 'jordan.lee@initech.example';
const DEMO_CUSTOMER_EMAIL = 'ops@globex.example';
const DEMO_QUOTE_NUMBER = 'Q-DEMO-0001';

export type DemoPlanCode = (typeof DEMO_PLANS)[number]['code'];
export type DemoLicenseTemplateCode = (typeof DEMO_LICENSE_TEMPLATES)[number]['code'];

export interface CommercialDemoData {
  planIds: Record<DemoPlanCode, string>;
  licenseTemplateIds: Record<DemoLicenseTemplateCode, string>;
  /** Northwind Partners: 50 seats at 15.00 USD list, 20 % commission. */
  partnerId: string;
  /** A qualified lead for lead_to_customer_onboarding. */
  leadId: string;
  /** Globex: the customer of the sent quote and of the subscription. */
  customerId: string;
  /** A sent quote with two lines, for quote_accepted_to_order. */
  quoteId: string;
  /** Pro monthly, ending ten days after the seeding: due for customer_renewal_process. */
  subscriptionId: string;
}

/**
 * What the built-in commercial workflows need to run straight after the first start: plans, license
 * templates, a partner with a seat pool, a qualified lead, a customer with a sent quote and a subscription
 * near its renewal. Idempotent: each row is found by its natural key (codes, e-mails, the quote number)
 * before it is made, inside one transaction holding a per-tenant advisory lock, so two processes seeding
 * at once make one set. Rows the workflows have since changed (a converted lead, an accepted quote) are
 * left as they are.
 */
export async function seedCommercialDemoData(em: EntityManager, tenantId: string): Promise<CommercialDemoData> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`switchyard:commercial-demo:${tenantId}`]);
    const now = new Date();

    const planIds = {} as Record<DemoPlanCode, string>;
    for (const plan of DEMO_PLANS) {
      const row =
        (await tx.findOne(Plan, { tenant: tenantId, code: plan.code })) ??
        tx.create(Plan, { tenant: tenantId, currency: DEMO_CURRENCY, ...plan });
      planIds[plan.code] = row.id;
    }

    const licenseTemplateIds = {} as Record<DemoLicenseTemplateCode, string>;
    for (const template of DEMO_LICENSE_TEMPLATES) {
      const row =
        (await tx.findOne(LicenseTemplate, { tenant: tenantId, code: template.code })) ??
        tx.create(LicenseTemplate, { tenant: tenantId, ...template });
      licenseTemplateIds[template.code] = row.id;
    }

    const partner =
      (await tx.findOne(Partner, { tenant: tenantId, code: DEMO_PARTNER_CODE })) ??
      tx.create(Partner, {
        tenant: tenantId,
        code: DEMO_PARTNER_CODE,
        name: 'Northwind Partners',
        email: 'channel@northwind.example',
        seatsTotal: 50,
        seatPriceAmount: 1_500,
        currency: DEMO_CURRENCY,
        commissionRateBps: 2_000,
      });

    const lead =
      (await tx.findOne(Lead, { tenant: tenantId, email: DEMO_LEAD_EMAIL })) ??
      tx.create(Lead, {
        tenant: tenantId,
        name: 'Jordan Lee',
        email: DEMO_LEAD_EMAIL,
        company: 'Initech',
        phone: '+1 555 0100',
        source: 'web',
        status: 'qualified',
        qualifiedAt: now,
      });

    const customer =
      (await tx.findOne(Customer, { tenant: tenantId, email: DEMO_CUSTOMER_EMAIL })) ??
      tx.create(Customer, {
        tenant: tenantId,
        name: 'Globex Operations',
        email: DEMO_CUSTOMER_EMAIL,
        company: 'Globex Corporation',
        source: 'direct',
      });

    const quote =
      (await tx.findOne(Quote, { tenant: tenantId, number: DEMO_QUOTE_NUMBER })) ??
      buildQuote(tx, {
        tenantId,
        customerId: customer.id,
        number: DEMO_QUOTE_NUMBER,
        status: 'sent',
        currency: DEMO_CURRENCY,
        validUntil: addDays(now, 30),
        lines: [
          { description: 'Pro (annual)', productCode: 'pro-annual', planId: planIds['pro-annual'], quantity: 1, unitPriceAmount: 99_000 },
          { description: 'Onboarding workshop', productCode: 'onboarding-workshop', quantity: 1, unitPriceAmount: 50_000 },
        ],
        now,
      });

    let subscription = await tx.findOne(Subscription, { tenant: tenantId, customer: customer.id }, { orderBy: { createdAt: 'asc' } });
    if (!subscription) {
      const periodEnd = addDays(now, 10);
      subscription = tx.create(Subscription, {
        tenant: tenantId,
        customer,
        plan: planIds['pro-monthly'],
        currentPeriodStart: addMonths(periodEnd, -1),
        currentPeriodEnd: periodEnd,
      });
      tx.create(SubscriptionEvent, {
        tenant: tenantId,
        subscription,
        type: 'created',
        periodEndAfter: periodEnd,
        data: { planCode: 'pro-monthly', demo: true },
      });
    }

    await tx.flush();
    return {
      planIds,
      licenseTemplateIds,
      partnerId: partner.id,
      leadId: lead.id,
      customerId: customer.id,
      quoteId: quote.id,
      subscriptionId: subscription.id,
    };
  });
}
