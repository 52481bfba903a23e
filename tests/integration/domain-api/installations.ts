import { Customer } from '../../../src/entities/customer.entity.js';
import { Ticket } from '../../../src/entities/domain/ticket.entity.js';
import {
  DomainApproveInstallationTicketDocument,
  DomainCommercialRecordsDocument,
  DomainCreateCustomerDocument,
  DomainNetworkRecordsDocument,
  DomainOutboxEmailsDocument,
  DomainRequestInstallationDocument,
  DomainTicketsDocument,
} from '../../generated/graphql.js';
import { execute } from '../../helpers/graphql.js';
import type { TestServer } from '../../helpers/server.js';
import { codeOf, startDomainApi, type DomainApi } from './setup.js';

/** Installation tickets, and the records the workflows make (none here: no workflow runs in this suite). */
describe('the domain through GraphQL', () => {
  let api: DomainApi;
  let server: TestServer;
  let operator: Record<string, string>;
  let viewer: Record<string, string>;
  let events: DomainApi['events'];

  beforeAll(async () => {
    api = await startDomainApi();
    ({ server, operator, viewer, events } = api);
  });
  afterAll(() => api?.stop());

  describe('installation tickets', () => {
    it('opens an installation request and approves it once, recording ticket.installation_approved', async () => {
      const customer = await execute(
        server.url,
        DomainCreateCustomerDocument,
        { input: { name: 'Farm House', email: 'farm@example.com' } },
        operator,
      );
      const customerId = customer.data?.createCustomer.id ?? '';
      // No site survey to take the address from.
      expect(codeOf(await execute(server.url, DomainRequestInstallationDocument, { input: { customerId } }, operator))).toBe('VALIDATION');

      const requested = await execute(
        server.url,
        DomainRequestInstallationDocument,
        { input: { customerId, installationAddress: '2 Field Lane', priority: 'HIGH' } },
        operator,
      );
      const ticket = requested.data?.requestInstallation;
      expect(ticket).toMatchObject({
        kind: 'INSTALLATION',
        status: 'OPEN',
        priority: 'HIGH',
        customerId,
        installationAddress: '2 Field Lane',
        appointment: null,
      });
      expect(ticket?.reference).toMatch(/^TCK-\d{6}$/);

      expect(
        codeOf(
          await execute(
            server.url,
            DomainApproveInstallationTicketDocument,
            { id: ticket?.id ?? '', scheduledDate: '2001-01-01' },
            operator,
          ),
        ),
      ).toBe('VALIDATION');
      const approved = await execute(
        server.url,
        DomainApproveInstallationTicketDocument,
        { id: ticket?.id ?? '', scheduledDate: '2031-03-04' },
        operator,
      );
      expect(approved.data?.approveInstallationTicket).toMatchObject({ id: ticket?.id, status: 'IN_PROGRESS' });
      expect(
        (await execute(server.url, DomainApproveInstallationTicketDocument, { id: ticket?.id ?? '' }, operator)).data
          ?.approveInstallationTicket.status,
      ).toBe('IN_PROGRESS');

      const recorded = (await events('ticket.installation_approved')).filter((event) => event.payload['ticketId'] === ticket?.id);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.payload).toMatchObject({
        customerId,
        installationAddress: '2 Field Lane',
        scheduledDate: '2031-03-04',
        ticketNumber: ticket?.reference,
      });

      // The run the approval started fails at once (no site survey) and reopens the request: either state may be listed.
      const listed = await execute(server.url, DomainTicketsDocument, { kind: 'INSTALLATION', customerId }, viewer);
      expect(listed.data?.tickets.map((row) => row.id)).toEqual([ticket?.id]);
      expect(['IN_PROGRESS', 'OPEN']).toContain(listed.data?.tickets[0]?.status);
    });

    it('approves installation requests only', async () => {
      const em = server.orm.em.fork();
      const customer = em.create(Customer, { tenant: server.adminTenantId, name: 'Support Case', email: 'support-case@example.com' });
      const support = em.create(Ticket, {
        tenant: server.adminTenantId,
        number: 900_001,
        kind: 'support',
        title: 'Router blinks',
        customer,
      });
      await em.flush();
      expect(codeOf(await execute(server.url, DomainApproveInstallationTicketDocument, { id: support.id }, operator))).toBe(
        'INVALID_STATE',
      );
    });
  });

  it('reads what the workflows made, empty before any ran', async () => {
    const commercial = await execute(server.url, DomainCommercialRecordsDocument, { customerId: null }, viewer);
    expect(commercial.errors).toBeUndefined();
    expect(commercial.data).toEqual({ subscriptions: [], licenses: [], deployments: [], orders: [], payments: [], invoices: [] });
    const network = await execute(server.url, DomainNetworkRecordsDocument, { customerId: null }, viewer);
    expect(network.data).toEqual({ allocations: [], radiusAccounts: [] });
    expect((await execute(server.url, DomainOutboxEmailsDocument, { first: 50 }, viewer)).data?.outboxEmails).toEqual([]);
    expect(codeOf(await execute(server.url, DomainCommercialRecordsDocument, { customerId: 'x' }, viewer))).toBe('VALIDATION');
  });
});
