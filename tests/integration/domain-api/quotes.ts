import {
  DomainAcceptQuoteDocument,
  DomainCatalogDocument,
  DomainCreateCustomerDocument,
  DomainCreatePartnerDocument,
  DomainCreatePlanDocument,
  DomainCreateQuoteDocument,
  DomainCustomerDocument,
  DomainQuotesDocument,
  DomainSendQuoteDocument,
} from '../../generated/graphql.js';
import { execute } from '../../helpers/graphql.js';
import type { TestServer } from '../../helpers/server.js';
import { codeOf, startDomainApi, type DomainApi } from './setup.js';

/** The catalog (plans, partners), customers, and quotes priced, sent and accepted. */
describe('the domain through GraphQL', () => {
  let api: DomainApi;
  let server: TestServer;
  let admin: Record<string, string>;
  let operator: Record<string, string>;
  let viewer: Record<string, string>;
  let events: DomainApi['events'];

  beforeAll(async () => {
    api = await startDomainApi();
    ({ server, admin, operator, viewer, events } = api);
  });
  afterAll(() => api?.stop());

  describe('plans, partners, customers and quotes', () => {
    let customerId: string;

    it('creates plans and partners (catalog:manage) and refuses duplicates with CONFLICT', async () => {
      const plan = await execute(
        server.url,
        DomainCreatePlanDocument,
        { input: { code: 'fibre-100', name: 'Fibre 100', billingCycle: 'MONTHLY', priceAmount: 4_900, currency: 'EUR' } },
        admin,
      );
      expect(plan.data?.createPlan).toMatchObject({
        code: 'fibre-100',
        billingCycle: 'MONTHLY',
        priceAmount: 4_900,
        currency: 'EUR',
        gracePeriodDays: 14,
        active: true,
      });
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreatePlanDocument,
            { input: { code: 'fibre-100', name: 'Again', billingCycle: 'ANNUAL', priceAmount: 1, currency: 'EUR' } },
            admin,
          ),
        ),
      ).toBe('CONFLICT');
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreatePlanDocument,
            { input: { code: 'Bad Code', name: 'x', billingCycle: 'ANNUAL', priceAmount: -1, currency: 'eur' } },
            admin,
          ),
        ),
      ).toBe('VALIDATION');
      // Operators run the CRM, not the price list.
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreatePlanDocument,
            { input: { code: 'sneaky', name: 'x', billingCycle: 'ANNUAL', priceAmount: 1, currency: 'EUR' } },
            operator,
          ),
        ),
      ).toBe('FORBIDDEN');

      const partner = await execute(
        server.url,
        DomainCreatePartnerDocument,
        {
          input: {
            code: 'acme-reseller',
            name: 'Acme Reseller',
            email: 'channel@acme.example',
            seatsTotal: 25,
            seatPriceAmount: 1_000,
            currency: 'EUR',
            commissionRateBps: 1_500,
          },
        },
        admin,
      );
      expect(partner.data?.createPartner).toMatchObject({
        code: 'acme-reseller',
        status: 'active',
        seatsTotal: 25,
        seatsUsed: 0,
        seatsRemaining: 25,
        commissionRateBps: 1_500,
      });
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreatePartnerDocument,
            { input: { code: 'acme-reseller', name: 'Twice', seatsTotal: 1, seatPriceAmount: 1, currency: 'EUR', commissionRateBps: 1 } },
            admin,
          ),
        ),
      ).toBe('CONFLICT');
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreatePartnerDocument,
            { input: { code: 'too-generous', name: 'x', seatsTotal: 1, seatPriceAmount: 1, currency: 'EUR', commissionRateBps: 20_000 } },
            admin,
          ),
        ),
      ).toBe('VALIDATION');

      const catalog = await execute(server.url, DomainCatalogDocument, { first: 50 }, viewer);
      expect(catalog.data?.plans.map((row) => row.code)).toContain('fibre-100');
      expect(catalog.data?.partners.map((row) => row.code)).toContain('acme-reseller');
    });

    it('creates a customer once per e-mail', async () => {
      const created = await execute(
        server.url,
        DomainCreateCustomerDocument,
        { input: { name: 'Grace Hopper', email: 'grace@cobol.example', company: 'Cobol Systems' } },
        operator,
      );
      expect(created.data?.createCustomer).toMatchObject({
        name: 'Grace Hopper',
        email: 'grace@cobol.example',
        status: 'active',
        source: 'direct',
      });
      customerId = created.data?.createCustomer.id ?? '';
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreateCustomerDocument,
            { input: { name: 'Grace again', email: 'GRACE@cobol.example' } },
            operator,
          ),
        ),
      ).toBe('CONFLICT');
      expect((await execute(server.url, DomainCustomerDocument, { id: customerId }, viewer)).data?.customer).toMatchObject({
        id: customerId,
        source: 'direct',
        leadId: null,
      });
    });

    it('prices a quote from plans and lines, sends it and accepts it once, recording quote.sent and quote.accepted', async () => {
      const created = await execute(
        server.url,
        DomainCreateQuoteDocument,
        {
          input: {
            customerId,
            lines: [
              { planId: 'fibre-100', quantity: 12 },
              { description: 'Installation', unitPriceAmount: 9_950 },
            ],
          },
        },
        operator,
      );
      expect(created.errors).toBeUndefined();
      const quote = created.data?.createQuote;
      expect(quote).toMatchObject({
        kind: 'NEW',
        status: 'DRAFT',
        customerId,
        currency: 'EUR',
        totalAmount: 12 * 4_900 + 9_950,
        sentAt: null,
      });
      expect(quote?.lines).toEqual([
        {
          position: 1,
          description: 'Fibre 100',
          productCode: 'fibre-100',
          planId: expect.any(String),
          quantity: 12,
          unitPriceAmount: 4_900,
          amount: 58_800,
        },
        { position: 2, description: 'Installation', productCode: null, planId: null, quantity: 1, unitPriceAmount: 9_950, amount: 9_950 },
      ]);
      const id = quote?.id ?? '';

      // Not sent yet: cannot be accepted.
      expect(codeOf(await execute(server.url, DomainAcceptQuoteDocument, { id }, operator))).toBe('INVALID_STATE');
      const sent = await execute(server.url, DomainSendQuoteDocument, { id }, operator);
      expect(sent.data?.sendQuote).toMatchObject({ status: 'SENT' });
      expect((await execute(server.url, DomainSendQuoteDocument, { id }, operator)).data?.sendQuote.sentAt).toBe(
        sent.data?.sendQuote.sentAt,
      );

      const accepted = await execute(server.url, DomainAcceptQuoteDocument, { id }, operator);
      expect(accepted.data?.acceptQuote).toMatchObject({
        status: 'ACCEPTED',
        acceptedBy: expect.stringMatching(/^operator-.*@example\.test$/),
      });
      const again = await execute(server.url, DomainAcceptQuoteDocument, { id }, admin);
      expect(again.data?.acceptQuote).toMatchObject({
        status: 'ACCEPTED',
        acceptedAt: accepted.data?.acceptQuote.acceptedAt,
        acceptedBy: accepted.data?.acceptQuote.acceptedBy,
      });

      expect((await events('quote.sent')).filter((event) => event.payload['quoteId'] === id)).toHaveLength(1);
      const acceptedEvents = (await events('quote.accepted')).filter((event) => event.payload['quoteId'] === id);
      expect(acceptedEvents).toHaveLength(1);
      expect(acceptedEvents[0]?.payload).toMatchObject({ kind: 'new', customerId, totalAmount: 68_750, currency: 'EUR' });

      const listed = await execute(server.url, DomainQuotesDocument, { status: 'ACCEPTED', customerId }, viewer);
      expect(listed.data?.quotes.map((row) => row.id)).toEqual([id]);
    });

    it('refuses quotes that cannot be priced or have no customer', async () => {
      expect(codeOf(await execute(server.url, DomainCreateQuoteDocument, { input: { customerId, lines: [] } }, operator))).toBe(
        'VALIDATION',
      );
      expect(
        codeOf(
          await execute(server.url, DomainCreateQuoteDocument, { input: { customerId, lines: [{ description: 'No price' }] } }, operator),
        ),
      ).toBe('VALIDATION');
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreateQuoteDocument,
            { input: { customerId, currency: 'USD', lines: [{ planId: 'fibre-100' }] } },
            operator,
          ),
        ),
      ).toBe('VALIDATION');
      expect(
        codeOf(
          await execute(server.url, DomainCreateQuoteDocument, { input: { customerId, lines: [{ planId: 'no-such-plan' }] } }, operator),
        ),
      ).toBe('NOT_FOUND');
      expect(
        codeOf(
          await execute(
            server.url,
            DomainCreateQuoteDocument,
            { input: { customerId: '00000000-0000-4000-8000-000000000000', lines: [{ planId: 'fibre-100' }] } },
            operator,
          ),
        ),
      ).toBe('NOT_FOUND');
    });
  });
});
