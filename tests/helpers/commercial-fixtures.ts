import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { withoutUndefined } from '../../src/entities/entity-data.js';
import { Customer, Tenant } from '../../src/entities/index.js';
import { LicenseTemplate, Lead, Partner, Plan, Subscription } from '../../src/entities/domain/commercial.js';
import type { LeadStatus } from '../../src/entities/domain/lead.entity.js';
import type { BillingCycle } from '../../src/entities/domain/plan.entity.js';
import type { QuoteKind, QuoteStatus } from '../../src/entities/domain/quote.entity.js';
import type { JsonValue } from '../../src/entities/json.js';
import { ormOptions } from '../../src/infra/database.js';
import { createCommercialServiceMethods, type CommercialServiceDeps } from '../../src/services/commercial.js';
import { addDays, addMonths } from '../../src/services/shared/periods.js';
import { buildQuote, type QuoteLineDraft } from '../../src/services/crm/quotes.js';
import { createServiceRegistry, type ServiceRegistry } from '../../src/services/registry.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface CallOptions {
  /** The idempotency key; a fresh one per call by default. */
  key?: string | undefined;
  now?: Date | undefined;
}

/**
 * A database of the test file's own, the commercial methods in a registry, and `call`, which runs a method
 * as the engine will: through the registry (validation, idempotency records) inside a transaction of its own.
 */
export interface CommercialHarness {
  orm: MikroORM;
  registry: ServiceRegistry;
  fixtures: CommercialFixtures;
  call<T = Record<string, JsonValue>>(
    tenantId: string,
    service: string,
    method: string,
    params: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T>;
  /** Counts rows of a table (optionally filtered by raw SQL) to check what a call made. */
  count(table: string, where?: string, params?: unknown[]): Promise<number>;
  /** A digest of every row of the tables a commercial call may touch: equal digests, nothing changed. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

const TOUCHED_TABLES = [
  'tenants',
  'users',
  'customers',
  'domain_events',
  'service_call_records',
  'leads',
  'plans',
  'quotes',
  'quote_lines',
  'orders',
  'order_lines',
  'subscriptions',
  'subscription_events',
  'invoices',
  'payments',
  'payment_ledger_entries',
  'license_templates',
  'licenses',
  'partners',
  'partner_commissions',
  'deployments',
];

export async function startCommercialHarness(deps: CommercialServiceDeps = {}, poolSize = 4): Promise<CommercialHarness> {
  const database: TestDatabase = await createTestDatabase();
  const orm = await MikroORM.init(ormOptions(database.url, poolSize));
  const registry = createServiceRegistry(createCommercialServiceMethods(deps), { checkOutputs: true });
  const query = <R extends object[]>(sql: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<R>(sql, params);
  return {
    orm,
    registry,
    fixtures: commercialFixtures(orm),
    async call<T>(tenantId: string, service: string, method: string, params: Record<string, unknown>, options: CallOptions = {}) {
      const signal = new AbortController().signal;
      const now = options.now ?? new Date();
      const idempotencyKey = options.key ?? `test-${randomUUID()}:step`;
      return (await orm.em
        .fork()
        .transactional((em) => registry.call(service, method, { em, tenantId, idempotencyKey, now, signal }, params))) as T;
    },
    async count(table, where = 'true', params = []) {
      const rows = await query<{ count: number }[]>(`select count(*)::int as count from "${table}" where ${where}`, params);
      return rows[0]?.count ?? 0;
    },
    async fingerprint() {
      const parts = await Promise.all(
        TOUCHED_TABLES.map(async (table) => {
          const rows = await query<{ digest: string | null }[]>(
            `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${table}" t`,
          );
          return `${table}:${rows[0]?.digest}`;
        }),
      );
      return parts.join(',');
    },
    async close() {
      await orm.close();
      await database.drop();
    },
  };
}

export interface CommercialFixtures {
  tenant(slug?: string): Promise<Tenant>;
  plan(
    tenantId: string,
    overrides?: Partial<{
      code: string;
      name: string;
      billingCycle: BillingCycle;
      priceAmount: number;
      currency: string;
      gracePeriodDays: number;
      active: boolean;
    }>,
  ): Promise<Plan>;
  lead(tenantId: string, overrides?: Partial<{ name: string; email: string; company: string; status: LeadStatus }>): Promise<Lead>;
  customer(tenantId: string, overrides?: Partial<{ name: string; email: string; company: string; partnerId: string }>): Promise<Customer>;
  quote(
    tenantId: string,
    customerId: string,
    overrides?: Partial<{
      status: QuoteStatus;
      kind: QuoteKind;
      currency: string;
      validUntil: Date;
      lines: QuoteLineDraft[];
      leadId: string;
      subscriptionId: string;
      termMonths: number;
      renewalPeriodEnd: Date;
    }>,
  ): Promise<string>;
  partner(
    tenantId: string,
    overrides?: Partial<{
      code: string;
      name: string;
      seatsTotal: number;
      seatsUsed: number;
      seatPriceAmount: number;
      currency: string;
      commissionRateBps: number;
      status: 'active' | 'suspended';
    }>,
  ): Promise<Partner>;
  licenseTemplate(
    tenantId: string,
    overrides?: Partial<{ code: string; name: string; product: string; seats: number; validityDays: number | null; active: boolean }>,
  ): Promise<LicenseTemplate>;
  subscription(
    tenantId: string,
    customerId: string,
    planId: string,
    overrides?: Partial<{ start: Date; end: Date; status: 'active' | 'cancelled' | 'expired'; paymentMethod: string }>,
  ): Promise<Subscription>;
  /** Runs `work` in a fork of its own and flushes. */
  write<T>(work: (em: EntityManager) => T | Promise<T>): Promise<T>;
}

const unique = () => randomUUID().slice(0, 8);

export function commercialFixtures(orm: MikroORM): CommercialFixtures {
  const write = async <T>(work: (em: EntityManager) => T | Promise<T>): Promise<T> => {
    const em = orm.em.fork();
    const made = await work(em);
    await em.flush();
    return made;
  };
  return {
    write,
    tenant: (slug = `tenant-${unique()}`) => write((em) => em.create(Tenant, { slug, name: slug })),
    plan: (tenantId, overrides = {}) =>
      write((em) =>
        em.create(Plan, {
          tenant: tenantId,
          code: overrides.code ?? `plan-${unique()}`,
          name: overrides.name ?? 'Pro monthly',
          billingCycle: overrides.billingCycle ?? 'monthly',
          priceAmount: overrides.priceAmount ?? 9_900,
          currency: overrides.currency ?? 'USD',
          gracePeriodDays: overrides.gracePeriodDays ?? 14,
          active: overrides.active ?? true,
        }),
      ),
    lead: (tenantId, overrides = {}) =>
      write((em) =>
        em.create(Lead, {
          tenant: tenantId,
          name: overrides.name ?? 'Ada Lovelace',
          email: overrides.email ?? `ada-${unique()}@example.com`,
          company: overrides.company ?? 'Analytical Engines Ltd',
          status: overrides.status ?? 'qualified',
        }),
      ),
    customer: (tenantId, overrides = {}) =>
      write((em) =>
        em.create(
          Customer,
          withoutUndefined({
            tenant: tenantId,
            name: overrides.name ?? 'Grace Hopper',
            email: overrides.email ?? `grace-${unique()}@example.com`,
            company: overrides.company ?? `Cobol Systems ${unique()}`,
            source: overrides.partnerId ? 'partner' : 'direct',
            partnerId: overrides.partnerId,
          }),
        ),
      ),
    quote: async (tenantId, customerId, overrides = {}) => {
      const now = new Date();
      const quote = await write((em) =>
        buildQuote(em, {
          tenantId,
          customerId,
          leadId: overrides.leadId,
          kind: overrides.kind ?? 'new',
          status: overrides.status ?? 'sent',
          currency: overrides.currency ?? 'USD',
          validUntil: overrides.validUntil ?? addDays(now, 30),
          subscriptionId: overrides.subscriptionId,
          termMonths: overrides.termMonths,
          renewalPeriodEnd: overrides.renewalPeriodEnd,
          lines: overrides.lines ?? [
            { description: 'Pro plan, 12 months', productCode: 'pro-annual', quantity: 1, unitPriceAmount: 99_000 },
            { description: 'Onboarding workshop', productCode: 'onboarding', quantity: 2, unitPriceAmount: 25_050 },
          ],
          now,
        }),
      );
      return quote.id;
    },
    partner: (tenantId, overrides = {}) =>
      write((em) =>
        em.create(Partner, {
          tenant: tenantId,
          code: overrides.code ?? `partner-${unique()}`,
          name: overrides.name ?? 'Acme Reseller',
          seatsTotal: overrides.seatsTotal ?? 10,
          seatsUsed: overrides.seatsUsed ?? 0,
          seatPriceAmount: overrides.seatPriceAmount ?? 1_500,
          currency: overrides.currency ?? 'USD',
          commissionRateBps: overrides.commissionRateBps ?? 2_000,
          status: overrides.status ?? 'active',
        }),
      ),
    licenseTemplate: (tenantId, overrides = {}) =>
      write((em) =>
        em.create(
          LicenseTemplate,
          withoutUndefined({
            tenant: tenantId,
            code: overrides.code ?? `license-${unique()}`,
            name: overrides.name ?? 'Standard license',
            product: overrides.product ?? 'switchyard-cloud',
            seats: overrides.seats ?? 5,
            validityDays: overrides.validityDays === null ? undefined : (overrides.validityDays ?? 365),
            active: overrides.active ?? true,
          }),
        ),
      ),
    subscription: (tenantId, customerId, planId, overrides = {}) =>
      write((em) => {
        const start = overrides.start ?? new Date();
        return em.create(Subscription, {
          tenant: tenantId,
          customer: customerId,
          plan: planId,
          status: overrides.status ?? 'active',
          currentPeriodStart: start,
          currentPeriodEnd: overrides.end ?? addMonths(start, 1),
          paymentMethod: overrides.paymentMethod ?? 'card',
        });
      }),
  };
}
