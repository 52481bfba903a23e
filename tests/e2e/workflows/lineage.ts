import {
  CreateWorkflowDocument,
  DomainCreateCustomerDocument,
  LineageCommercialRecordsDocument,
  LineageLeadsDocument,
  LineagePartnersDocument,
  DomainCreateLeadDocument,
  DomainLeadsDocument,
  DomainQualifyLeadDocument,
  DomainQuotesDocument,
  LineageCustomerDocument,
  LineageCustomersDocument,
  LineageRecordsDocument,
  LineageTouchedRecordsDocument,
  LineageTouchingDocument,
  WebhookCreateSecretDocument,
  type LineageTouchingQuery,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { execute } from '../../helpers/graphql.js';
import { withStatements } from '../../integration/api/support.js';
import { startWorkflowHarness, surveyedCustomer, type WorkflowHarness } from './harness.js';

/** The ids and workflows of `executions(filter: { touching })`, newest first. */
const runsOf = (data: LineageTouchingQuery) => data.executions.nodes.map((node) => [node.id, node.workflow.name]);

describe('lineage: which run and step created or changed a record, through the API', () => {
  let h: WorkflowHarness;
  let onboarding: string;
  let customerId: string;
  /** A partner_customer_provisioning run: it made a customer too. */
  let partnerRun = '';

  beforeAll(async () => {
    h = await startWorkflowHarness();
    const lead = (await h.gql(DomainLeadsDocument, { status: 'QUALIFIED' })).leads.find(
      (candidate) => candidate.email === 'jordan.lee@initech.example',
    );
    onboarding = await h.run('lead_to_customer_onboarding', { lead_id: lead?.id ?? '' });
    const run = await h.waitFor(onboarding);
    expect(run.status).toBe('COMPLETED');
    customerId = (run.steps.find((step) => step.key === 'create_customer')?.output as { customerId: string }).customerId;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const origin = (step: string, execution: string, workflow: string) => ({
    step,
    at: expect.any(String),
    execution: { id: execution, workflow: { name: workflow } },
  });

  it('answers createdBy on each record a built-in run made: the run and the step', async () => {
    const { customer } = await h.gql(LineageCustomerDocument, { id: customerId });
    expect(customer.createdBy).toEqual(origin('create_customer', onboarding, 'lead_to_customer_onboarding'));
    expect(customer.touchedBy).toEqual([
      { step: 'create_customer', action: 'CREATED', at: customer.createdBy?.at, execution: { id: onboarding } },
    ]);

    const records = await h.gql(LineageRecordsDocument, { customerId });
    expect(records.subscriptions.map((each) => each.createdBy)).toEqual([
      origin('create_subscription', onboarding, 'lead_to_customer_onboarding'),
    ]);
    expect(records.licenses.map((each) => each.createdBy)).toEqual([origin('issue_license', onboarding, 'lead_to_customer_onboarding')]);
    expect(records.deployments.map((each) => each.createdBy)).toEqual([
      origin('provision_tenant', onboarding, 'lead_to_customer_onboarding'),
    ]);
    expect(records.tickets.map((each) => [each.kind, each.createdBy])).toEqual([
      ['ONBOARDING', origin('create_onboarding_ticket', onboarding, 'lead_to_customer_onboarding')],
    ]);

    // Converting the lead changed it; it was seeded, not made by a run.
    const lead = (await h.gql(LineageLeadsDocument, {})).leads.find((each) => each.email === 'jordan.lee@initech.example');
    expect(lead?.createdBy).toBeNull();
    expect(lead?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action])).toEqual([
      [onboarding, 'create_customer', 'UPDATED'],
    ]);

    // The other direction: what the run touched, step by step.
    const { execution } = await h.gql(LineageTouchedRecordsDocument, { id: onboarding });
    expect(execution.touchedRecords.map((each) => [each.step, each.type, each.action])).toEqual(
      expect.arrayContaining([
        ['create_customer', 'CUSTOMER', 'CREATED'],
        ['create_subscription', 'SUBSCRIPTION', 'CREATED'],
        ['issue_license', 'LICENSE', 'CREATED'],
        ['provision_tenant', 'DEPLOYMENT', 'CREATED'],
        ['create_onboarding_ticket', 'TICKET', 'CREATED'],
        ['create_customer', 'LEAD', 'UPDATED'],
      ]),
    );
  });

  it('finds an order, the payment that changed it and the slot booked for it; a later run that changes a record shows up in touching', async () => {
    const [quote] = (await h.gql(DomainQuotesDocument, { status: 'SENT' })).quotes.filter(
      (candidate) => candidate.number === 'Q-DEMO-0001',
    );
    const ordering = await h.run('quote_accepted_to_order', { quote_id: quote?.id ?? '' });
    expect((await h.waitFor(ordering)).status).toBe('COMPLETED');
    const records = await h.gql(LineageRecordsDocument, { customerId: quote?.customerId ?? '' });
    const order = records.orders.find((each) => each.quoteId === quote?.id);
    expect(order?.createdBy).toEqual(origin('create_order', ordering, 'quote_accepted_to_order'));
    // Paying it changed it: a second touch by the same run.
    expect(order?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action])).toEqual([
      [ordering, 'create_order', 'CREATED'],
      [ordering, 'process_payment', 'UPDATED'],
    ]);
    expect(records.deployments.find((each) => each.orderId === order?.id)?.createdBy).toEqual(
      origin('schedule_deployment', ordering, 'quote_accepted_to_order'),
    );
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'ORDER', id: order?.id ?? '' } }))).toEqual([
      [ordering, 'quote_accepted_to_order'],
    ]);
    // Accepting the quote changed it; paying the order made a payment.
    const commercial = await h.gql(LineageCommercialRecordsDocument, { customerId: quote?.customerId ?? '' });
    const accepted = commercial.quotes.find((each) => each.id === quote?.id);
    expect(accepted?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action])).toEqual([
      [ordering, 'accept_quote', 'UPDATED'],
    ]);
    expect(commercial.payments.find((each) => each.orderId === order?.id)?.createdBy).toEqual(
      origin('process_payment', ordering, 'quote_accepted_to_order'),
    );
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'QUOTE', id: quote?.id ?? '' } }))).toEqual([
      [ordering, 'quote_accepted_to_order'],
    ]);

    // A later run extends the onboarding's subscription: both runs touched it, the first still created it.
    await h.gql(CreateWorkflowDocument, {
      input: {
        name: 'lineage_extend',
        definition: {
          steps: [
            {
              name: 'extend',
              type: 'service_call',
              service: 'billing',
              method: 'extendSubscription',
              params: { subscriptionId: '${context.subscription_id}', extensionPeriod: 1 },
            },
          ],
        },
      },
    });
    const [subscription] = (await h.gql(LineageRecordsDocument, { customerId })).subscriptions;
    const extending = await h.run('lineage_extend', { subscription_id: subscription?.id ?? '' });
    expect((await h.waitFor(extending)).status).toBe('COMPLETED');

    const touching = { type: 'SUBSCRIPTION' as const, id: subscription?.id ?? '' };
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching }))).toEqual([
      [extending, 'lineage_extend'],
      [onboarding, 'lead_to_customer_onboarding'],
    ]);
    // With the other filters, and a page at a time.
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching, workflow: 'lineage_extend' }))).toEqual([[extending, 'lineage_extend']]);
    const first = await h.gql(LineageTouchingDocument, { touching, first: 1 });
    expect(runsOf(first)).toEqual([[extending, 'lineage_extend']]);
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching, first: 1, after: first.executions.pageInfo.endCursor }))).toEqual([
      [onboarding, 'lead_to_customer_onboarding'],
    ]);

    const [after] = (await h.gql(LineageRecordsDocument, { customerId })).subscriptions;
    expect(after?.createdBy).toEqual(origin('create_subscription', onboarding, 'lead_to_customer_onboarding'));
    expect(after?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action])).toEqual([
      [onboarding, 'create_subscription', 'CREATED'],
      [extending, 'extend', 'UPDATED'],
    ]);
  });

  it('keeps an allocation (a service instance with its address and VLAN) created by one step and activated by the next', async () => {
    const customer = await surveyedCustomer(h, 'Lineage Allocation');
    await h.gql(CreateWorkflowDocument, {
      input: {
        name: 'lineage_allocate',
        definition: {
          steps: [
            {
              name: 'allocate',
              type: 'service_call',
              service: 'network',
              method: 'allocateResources',
              params: { customerId: '${context.customer_id}', serviceLocation: 'demo-pop-1', bandwidthPlan: '50M/10M' },
            },
            {
              name: 'activate',
              type: 'service_call',
              service: 'billing',
              method: 'activateService',
              params: { customerId: '${context.customer_id}', serviceId: '${steps.allocate.output.serviceId}' },
            },
          ],
        },
      },
    });
    const run = await h.run('lineage_allocate', { customer_id: customer });
    expect((await h.waitFor(run)).status).toBe('COMPLETED');
    const [allocation] = (await h.gql(LineageRecordsDocument, { customerId: customer })).allocations;
    expect(allocation?.serviceStatus).toBe('active');
    expect(allocation?.createdBy).toEqual(origin('allocate', run, 'lineage_allocate'));
    expect(allocation?.touchedBy.map((touch) => [touch.step, touch.action])).toEqual([
      ['allocate', 'CREATED'],
      ['activate', 'UPDATED'],
    ]);
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'ALLOCATION', id: allocation?.serviceId ?? '' } }))).toEqual([
      [run, 'lineage_allocate'],
    ]);
  });

  it("keeps a partner's seats taken (by SQL of the method's own) and its commission as changes of the partner", async () => {
    const run = (partnerRun = await h.run('partner_customer_provisioning', {
      partner_id: 'demo-partner',
      customer_data: { name: 'Lineage Partner', email: 'lineage.partner@example.com' },
      license_count: 2,
    }));
    expect((await h.waitFor(run)).status).toBe('COMPLETED');
    const partner = (await h.gql(LineagePartnersDocument, {})).partners.find((each) => each.code === 'demo-partner');
    expect(partner?.touchedBy.filter((touch) => touch.execution.id === run).map((touch) => [touch.step, touch.action])).toEqual([
      ['allocate_licenses', 'UPDATED'],
      ['record_commission', 'UPDATED'],
    ]);
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'PARTNER', id: partner?.id ?? '' } }))).toContainEqual([
      run,
      'partner_customer_provisioning',
    ]);
  });

  it('keeps an invoice and a payment intent created by their steps and voided and cancelled by their compensations', async () => {
    const customer = await surveyedCustomer(h, 'Lineage Invoice');
    // The ledger takes intents once the tenant can receive its webhook.
    await h.gql(WebhookCreateSecretDocument, { source: 'payments' });
    await h.gql(CreateWorkflowDocument, {
      input: {
        name: 'lineage_invoice',
        definition: {
          steps: [
            {
              name: 'draft',
              type: 'service_call',
              service: 'billing',
              method: 'createInvoiceDraft',
              params: { customerId: '${context.customer_id}', amount: 5_000, currency: 'EUR', region: 'DE', description: 'Lineage' },
              compensate: {
                service: 'billing',
                method: 'voidInvoice',
                params: { invoiceId: '${steps.draft.output.invoiceId}', reason: 'lineage test' },
              },
            },
            {
              name: 'intent',
              type: 'service_call',
              service: 'billing',
              method: 'createPaymentIntent',
              params: { invoiceId: '${steps.draft.output.invoiceId}', paymentMethod: 'card' },
              compensate: { service: 'billing', method: 'cancelPaymentIntent', params: { intentId: '${steps.intent.output.intentId}' } },
            },
            {
              name: 'fail',
              type: 'service_call',
              service: 'billing',
              method: 'activateService',
              params: { customerId: '${context.customer_id}', serviceId: '00000000-0000-4000-8000-000000000000' },
            },
          ],
        },
      },
    });
    const run = await h.run('lineage_invoice', { customer_id: customer });
    expect((await h.waitFor(run)).status).toBe('FAILED');
    const { invoices, paymentIntents } = await h.gql(LineageCommercialRecordsDocument, { customerId: customer });
    const touches = (record: { touchedBy: { step: string; action: string; execution: { id: string } }[] } | undefined) =>
      record?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action]);
    expect(invoices[0]?.createdBy).toEqual(origin('draft', run, 'lineage_invoice'));
    expect(touches(invoices[0])).toEqual([
      [run, 'draft', 'CREATED'],
      [run, 'draft', 'UPDATED'],
    ]);
    expect(paymentIntents[0]?.createdBy).toEqual(origin('intent', run, 'lineage_invoice'));
    expect(touches(paymentIntents[0])).toEqual([
      [run, 'intent', 'CREATED'],
      [run, 'intent', 'UPDATED'],
    ]);
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'PAYMENT_INTENT', id: paymentIntents[0]?.id ?? '' } }))).toEqual(
      [[run, 'lineage_invoice']],
    );
  });

  it('records a compensation that undid a record under the step it undoes, and nothing of the step that failed', async () => {
    const customer = await surveyedCustomer(h, 'Lineage Undo');
    await h.gql(CreateWorkflowDocument, {
      input: {
        name: 'lineage_undo',
        definition: {
          steps: [
            {
              name: 'allocate',
              type: 'service_call',
              service: 'network',
              method: 'allocateResources',
              params: { customerId: '${context.customer_id}', serviceLocation: 'demo-pop-1', bandwidthPlan: '50M/10M' },
              compensate: { service: 'network', method: 'releaseResources', params: { serviceId: '${steps.allocate.output.serviceId}' } },
            },
            // Fails in its own transaction: it changes nothing, so it records nothing.
            {
              name: 'activate_elsewhere',
              type: 'service_call',
              service: 'billing',
              method: 'activateService',
              params: { customerId: '${context.customer_id}', serviceId: '00000000-0000-4000-8000-000000000000' },
            },
          ],
        },
      },
    });
    const run = await h.run('lineage_undo', { customer_id: customer });
    expect((await h.waitFor(run)).status).toBe('FAILED');
    const [allocation] = (await h.gql(LineageRecordsDocument, { customerId: customer })).allocations;
    expect(allocation?.serviceStatus).toBe('released');
    expect(allocation?.touchedBy.map((touch) => [touch.execution.id, touch.step, touch.action])).toEqual([
      [run, 'allocate', 'CREATED'],
      [run, 'allocate', 'UPDATED'],
    ]);
    const { execution } = await h.gql(LineageTouchedRecordsDocument, { id: run });
    expect(execution.touchedRecords.map((each) => each.step)).toEqual(['allocate', 'allocate']);
  });

  it('answers null for a record made through the API, outside any run, and nothing for an id that names no record', async () => {
    const created = await h.gql(DomainCreateCustomerDocument, { input: { name: 'By Hand', email: 'by.hand@lineage.example' } });
    const { customer } = await h.gql(LineageCustomerDocument, { id: created.createCustomer.id });
    expect(customer).toEqual({ id: created.createCustomer.id, createdBy: null, touchedBy: [] });
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'CUSTOMER', id: created.createCustomer.id } }))).toEqual([]);
    // The demo data's customer was seeded, not made by a run.
    const globex = (await h.gql(LineageCustomersDocument, { first: 200 })).customers.filter((each) => each.createdBy === null);
    expect(globex.length).toBeGreaterThanOrEqual(2);
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'CUSTOMER', id: 'not-a-uuid' } }))).toEqual([]);
    // The type is part of the record's identity: the customer's id is no subscription's.
    expect(runsOf(await h.gql(LineageTouchingDocument, { touching: { type: 'SUBSCRIPTION', id: customerId } }))).toEqual([]);
  });

  it("never shows another tenant's records or runs", async () => {
    const stranger = await createUser(h.server.orm, 'admin');
    const headers = bearer((await login(h.server.url, stranger.email, stranger.password)).token);
    const touching = await execute(h.server.url, LineageTouchingDocument, { touching: { type: 'CUSTOMER', id: customerId } }, headers);
    expect(touching.errors).toBeUndefined();
    expect(touching.data?.executions.nodes).toEqual([]);
    const customer = await execute(h.server.url, LineageCustomerDocument, { id: customerId }, headers);
    expect(customer.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const touched = await execute(h.server.url, LineageTouchedRecordsDocument, { id: onboarding }, headers);
    expect(touched.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it("loads every record's createdBy in one statement, and their runs in one more", async () => {
    // A second customer made by a run, one that lead.qualified started.
    const lead = await h.gql(DomainCreateLeadDocument, { input: { name: 'Eve Event', email: 'eve@lineage.example', company: 'Eventual' } });
    await h.gql(DomainQualifyLeadDocument, { id: lead.createLead.id });
    const { started } = await h.dispatched('lead.qualified', (payload) => payload['leadId'] === lead.createLead.id);
    expect((await h.waitFor(started['lead_to_customer_onboarding'] ?? '')).status).toBe('COMPLETED');

    const { result, statements } = await withStatements(() => h.gql(LineageCustomersDocument, { first: 200 }));
    expect(result.customers.length).toBeGreaterThanOrEqual(4);
    expect(new Set(result.customers.map((each) => each.createdBy?.execution.id).filter(Boolean))).toEqual(
      new Set([onboarding, started['lead_to_customer_onboarding'], partnerRun]),
    );
    // The API's reads only: a run still going on in the worker of this process may insert its lineage meanwhile.
    expect(statements.filter((sql) => /^select .* from record_lineage l /.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('from executions e where e.tenant_id = $1 and e.id = any'))).toHaveLength(1);
  });
});
