import {
  AcceptInvitationDocument,
  DomainCatalogDocument,
  DomainCommercialRecordsDocument,
  DomainCommissionsDocument,
  DomainCreateLeadDocument,
  DomainLeadsDocument,
  DomainOutboxEmailsDocument,
  DomainQualifyLeadDocument,
  DomainTicketsDocument,
} from '../../generated/graphql.js';
import { login } from '../../helpers/auth.js';
import { execute } from '../../helpers/graphql.js';
import { ok, tokenFromInbox } from '../../integration/people/support.js';
import { customerByEmail, step, stepStatuses, startWorkflowHarness, type WorkflowHarness } from './harness.js';

const addMonthUtc = (iso: string): string => {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString();
};

/** New customers: a qualified lead onboarded, and a partner's white-labelled customer provisioned. */
describe('the commercial built-in workflows end to end, from the demo data of a fresh start', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('lead_to_customer_onboarding', () => {
    it('turns the demo qualified lead into a customer with a subscription, a license, a tenant, a welcome e-mail and an onboarding ticket', async () => {
      const lead = (await h.gql(DomainLeadsDocument, { status: 'QUALIFIED' })).leads.find(
        (candidate) => candidate.email === 'jordan.lee@initech.example',
      );
      expect(lead).toBeDefined();
      const run = await h.waitFor(await h.run('lead_to_customer_onboarding', { lead_id: lead?.id ?? '' }));
      expect(run.error).toBeNull();
      expect(run.status).toBe('COMPLETED');
      expect(run.steps.map((each) => [each.key, each.status])).toEqual(
        [
          'defaults',
          'create_customer',
          'create_subscription',
          'issue_license',
          'provision_tenant',
          'send_welcome_email',
          'create_onboarding_ticket',
        ].map((key) => [key, 'COMPLETED']),
      );
      expect(step(run, 'create_subscription').input).toMatchObject({ planId: 'basic-monthly', tenantId: h.tenantId });

      const customer = await customerByEmail(h, 'jordan.lee@initech.example');
      expect(customer).toMatchObject({ name: 'Jordan Lee', company: 'Initech', source: 'lead', leadId: lead?.id });
      expect((await h.gql(DomainLeadsDocument, { status: 'CONVERTED' })).leads.map((each) => each.id)).toContain(lead?.id);

      const records = await h.gql(DomainCommercialRecordsDocument, { customerId: customer?.id ?? '' });
      expect(records.subscriptions).toEqual([expect.objectContaining({ planCode: 'basic-monthly', status: 'active' })]);
      expect(records.subscriptions[0]?.currentPeriodEnd).toBe(addMonthUtc(records.subscriptions[0]?.currentPeriodStart ?? ''));
      expect(records.licenses).toEqual([
        expect.objectContaining({ templateCode: 'standard-license', seats: 5, status: 'active', partnerId: null }),
      ]);
      const licenseKey = records.licenses[0]?.key ?? '';
      expect(licenseKey).toMatch(/^SWY(-[0-9A-Z]{5}){4}-[0-9A-Z]$/);
      expect(records.deployments).toEqual([
        expect.objectContaining({
          status: 'PROVISIONED',
          type: 'shared',
          tenantUrl: 'https://initech.switchyard.localhost',
          tenant: expect.objectContaining({ slug: 'initech', name: 'Initech' }),
          licenseId: records.licenses[0]?.id,
        }),
      ]);

      // The new tenant's admin is the customer, invited as a platform admin's createTenant invites: no
      // password exists until they choose one, so none is in any step's input or output, or in an e-mail.
      const admins = await h.query<{ tenant_id: string; role: string; password_hash: string }>(
        'select tenant_id, role, password_hash from users where email = ?',
        ['jordan.lee@initech.example'],
      );
      expect(admins).toEqual([{ tenant_id: records.deployments[0]?.tenant?.id, role: 'admin', password_hash: '!invited' }]);
      expect(step(run, 'provision_tenant').output).toMatchObject({ adminEmail: 'jordan.lee@initech.example', adminInvitation: 'pending' });
      expect(step(run, 'send_welcome_email').output).toMatchObject({ status: 'queued', invitation: 'sent' });

      // The welcome e-mail carries the invitation; there is no other e-mail to the admin.
      const [welcome] = (await h.gql(DomainOutboxEmailsDocument, { template: 'customer_welcome', to: 'jordan.lee@initech.example' }))
        .outboxEmails;
      expect(welcome).toMatchObject({ subject: 'Welcome to initech, Jordan Lee', toName: 'Jordan Lee' });
      expect(welcome?.text).toContain('your workspace is ready at https://initech.switchyard.localhost');
      expect(welcome?.text).toContain(`Your license key: ${licenseKey}`);
      expect(welcome?.text).toContain('You are its administrator (jordan.lee@initech.example). Open this link to choose your password');
      // Listed without its token, which reaches only its recipient.
      expect(welcome?.text).toContain('(one-time link, shown only to its recipient)');
      expect(
        (await h.gql(DomainOutboxEmailsDocument, { template: 'user_invitation', to: 'jordan.lee@initech.example' })).outboxEmails,
      ).toEqual([]);
      const token = await tokenFromInbox(h.server, 'jordan.lee@initech.example', 'customer_welcome');
      expect(welcome?.text).not.toContain(token);

      // No password and no token in anything the run recorded: steps, context, result, events.
      const recorded = await h.query<{ data: string }>(
        `select coalesce(s.input::text, '') || coalesce(s.output::text, '') as data from execution_steps s where s.execution_id = ?
         union all select coalesce(e.context::text, '') || coalesce(e.result::text, '') from executions e where e.id = ?
         union all select coalesce(v.payload::text, '') from execution_events v where v.execution_id = ?`,
        [run.id, run.id, run.id],
      );
      const everything = recorded.map((row) => row.data).join('\n');
      expect(everything).not.toMatch(/password/i);
      expect(everything).not.toContain(token);

      // With the token they choose a password and sign in to their tenant.
      const accepted = await execute(h.server.url, AcceptInvitationDocument, { token, password: 'initech-admin-password' });
      expect(accepted.errors).toBeUndefined();
      expect((await login(h.server.url, 'jordan.lee@initech.example', 'initech-admin-password')).tenantId).toBe(
        records.deployments[0]?.tenant?.id,
      );

      const tickets = (await h.gql(DomainTicketsDocument, { kind: 'ONBOARDING', customerId: customer?.id ?? '' })).tickets;
      expect(tickets).toEqual([expect.objectContaining({ title: 'Onboard Jordan Lee', assignedTeam: 'onboarding', status: 'OPEN' })]);
    });

    it('starts on lead.qualified: a lead created and qualified through GraphQL becomes a customer', async () => {
      const created = await h.gql(DomainCreateLeadDocument, {
        input: { name: 'Mia Event', email: 'mia@eventful.example', company: 'Eventful Ltd' },
      });
      await h.gql(DomainQualifyLeadDocument, { id: created.createLead.id });
      const { started } = await h.dispatched('lead.qualified', (payload) => payload['leadId'] === created.createLead.id);
      expect(Object.keys(started)).toEqual(['lead_to_customer_onboarding']);
      const run = await h.waitFor(started['lead_to_customer_onboarding'] ?? '');
      expect(run.status).toBe('COMPLETED');
      expect(run.trigger.type).toBe('EVENT');
      expect(await customerByEmail(h, 'mia@eventful.example')).toMatchObject({ leadId: created.createLead.id, source: 'lead' });
    });
  });

  describe('partner_customer_provisioning', () => {
    it("provisions a white-labelled customer from the demo partner's pool and accrues its commission", async () => {
      const run = await h.waitFor(
        await h.run('partner_customer_provisioning', {
          partner_id: 'demo-partner',
          customer_data: { name: 'Wile E. Coyote', email: 'wile@acme-rockets.example', company: 'Acme Rockets' },
          license_count: 5,
          white_label_config: { displayName: 'Acme Rockets Portal', primaryColor: '#ff6600' },
        }),
      );
      expect(run.error).toBeNull();
      expect(run.status).toBe('COMPLETED');
      expect(run.steps.map((each) => [each.key, each.status])).toEqual([
        ['defaults', 'COMPLETED'],
        ['check_license_quota', 'COMPLETED'],
        ['quota_available', 'COMPLETED'],
        ['create_partner_customer', 'COMPLETED'],
        ['allocate_licenses', 'COMPLETED'],
        ['provision_partner_tenant', 'COMPLETED'],
        ['record_commission', 'COMPLETED'],
        ['send_welcome_email', 'COMPLETED'],
        // No notify_email: nobody else to tell.
        ['notify_requested', 'COMPLETED'],
        ['send_provisioned_email', 'SKIPPED'],
      ]);

      const partner = (await h.gql(DomainCatalogDocument, {})).partners.find((candidate) => candidate.code === 'demo-partner');
      expect(partner).toMatchObject({ seatsTotal: 50, seatsUsed: 5, seatsRemaining: 45 });
      const customer = await customerByEmail(h, 'wile@acme-rockets.example');
      expect(customer).toMatchObject({ source: 'partner', partnerId: partner?.id, company: 'Acme Rockets' });

      const records = await h.gql(DomainCommercialRecordsDocument, { customerId: customer?.id ?? '' });
      expect(records.licenses).toEqual([
        expect.objectContaining({ partnerId: partner?.id, seats: 5, templateCode: null, status: 'active' }),
      ]);
      expect(records.deployments).toEqual([
        expect.objectContaining({
          status: 'PROVISIONED',
          partnerId: partner?.id,
          tenantUrl: 'https://acme-rockets.switchyard.localhost',
          branding: { displayName: 'Acme Rockets Portal', primaryColor: '#FF6600' },
        }),
      ]);
      // 5 seats × 15.00 USD list × 20 %.
      expect((await h.gql(DomainCommissionsDocument, { partnerId: 'demo-partner' })).commissions).toEqual([
        expect.objectContaining({
          customerId: customer?.id,
          type: 'new_customer',
          amount: 1_500,
          baseAmount: 7_500,
          rateBps: 2_000,
          currency: 'USD',
          status: 'accrued',
        }),
      ]);
      expect(step(run, 'send_welcome_email').output).toMatchObject({ status: 'queued', invitation: 'sent' });
      const [email] = (await h.gql(DomainOutboxEmailsDocument, { template: 'partner_customer_welcome', to: 'wile@acme-rockets.example' }))
        .outboxEmails;
      expect(email?.subject).toBe('Welcome to Acme Rockets Portal, Wile E. Coyote');
      expect(email?.text).toContain('your Acme Rockets Portal workspace is ready at https://acme-rockets.switchyard.localhost');
      expect(email?.text).toContain('You are its administrator (wile@acme-rockets.example)');
      expect(await h.query('select password_hash from users where email = ?', ['wile@acme-rockets.example'])).toEqual([
        { password_hash: '!invited' },
      ]);
      const token = await tokenFromInbox(h.server, 'wile@acme-rockets.example', 'partner_customer_welcome');
      expect(JSON.stringify(run.steps)).not.toContain(token);
      ok(await execute(h.server.url, AcceptInvitationDocument, { token, password: 'acme-rockets-admin' }));
      expect(
        (await h.gql(DomainOutboxEmailsDocument, { template: 'partner_customer_provisioned' })).outboxEmails.filter((each) =>
          each.text.includes('acme-rockets'),
        ),
      ).toEqual([]);
    });

    it('stops, completed and having changed nothing, when the pool lacks the seats', async () => {
      const run = await h.waitFor(
        await h.run('partner_customer_provisioning', {
          partner_id: 'demo-partner',
          customer_data: { name: 'Too Big', email: 'too-big@example.com' },
          license_count: 1_000,
        }),
      );
      expect(run.status).toBe('COMPLETED');
      expect(step(run, 'check_license_quota').output).toMatchObject({ available: false, quotaRemaining: 45 });
      expect(stepStatuses(run)).toMatchObject({
        quota_available: 'COMPLETED',
        create_partner_customer: 'SKIPPED',
        send_provisioned_email: 'SKIPPED',
      });
      expect(await customerByEmail(h, 'too-big@example.com')).toBeUndefined();
    });

    it('tells notify_email where the workspace is, without the invitation, which goes to the customer alone', async () => {
      const run = await h.waitFor(
        await h.run('partner_customer_provisioning', {
          partner_id: 'demo-partner',
          customer_data: { name: 'Road Runner', email: 'beep@fast-birds.example', company: 'Fast Birds' },
          license_count: 1,
          notify_email: 'sales@demo-partner.example',
        }),
      );
      expect(run.status).toBe('COMPLETED');
      expect(stepStatuses(run)).toMatchObject({
        send_welcome_email: 'COMPLETED',
        notify_requested: 'COMPLETED',
        send_provisioned_email: 'COMPLETED',
      });
      const [notice] = (
        await h.gql(DomainOutboxEmailsDocument, { template: 'partner_customer_provisioned', to: 'sales@demo-partner.example' })
      ).outboxEmails;
      expect(notice?.subject).toBe('Road Runner is provisioned');
      expect(notice?.text).toContain('https://fast-birds.switchyard.localhost');
      const token = await tokenFromInbox(h.server, 'beep@fast-birds.example', 'partner_customer_welcome');
      const sent = await h.query<{ text: string }>(`select payload::text as text from outbox_messages where payload->>'to' = ?`, [
        'sales@demo-partner.example',
      ]);
      expect(sent.map((row) => row.text).join('')).not.toContain(token);
    });
  });
});
