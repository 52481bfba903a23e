import {
  DomainCommercialRecordsDocument,
  DomainCreateLeadDocument,
  DomainCreateQuoteDocument,
  DomainQualifyLeadDocument,
  DomainQuotesDocument,
  DomainSendQuoteDocument,
  RerunExecutionDocument,
  RetryExecutionDocument,
} from '../../generated/graphql.js';
import { customerByEmail, parkedForAcceptance, startWorkflowHarness, step, surveyedCustomer, type WorkflowHarness } from './harness.js';

/**
 * Issue 11, item 2, for the commercial built-in workflows: what a failed run took — a subscription, a
 * license, partner seats, a commission, an order awaiting payment, a renewal offer — is given back or
 * visibly closed, and a retry takes it again.
 */
describe('a failed commercial run gives back what it took', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const records = (customerId: string) => h.gql(DomainCommercialRecordsDocument, { customerId });

  /** A user with this e-mail already exists, so the tenant admin of a customer with it cannot be created. */
  const takeEmail = (email: string) =>
    h.query(
      "insert into users (id, tenant_id, email, password_hash, role, active, created_at) values (gen_random_uuid(), ?, ?, 'x', 'viewer', true, now())",
      [h.tenantId, email],
    );
  const freeEmail = (email: string) => h.query('delete from users where email = ?', [email]);

  it('lead_to_customer_onboarding: the subscription is cancelled and the license revoked; a retry issues and subscribes again', async () => {
    const email = 'cora@conflict.example';
    const lead = (await h.gql(DomainCreateLeadDocument, { input: { name: 'Cora Conflict', email, company: 'Conflict Corp' } })).createLead;
    await h.gql(DomainQualifyLeadDocument, { id: lead.id });
    await takeEmail(email);
    const { started } = await h.dispatched('lead.qualified', (payload) => payload['leadId'] === lead.id);
    const executionId = started['lead_to_customer_onboarding'] ?? '';

    const failed = await h.waitFor(executionId);
    expect(failed.error).toMatchObject({ code: 'CONFLICT', step: 'provision_tenant' });
    expect(step(failed, 'issue_license').compensation).toMatchObject({ status: 'completed' });
    expect(step(failed, 'create_subscription').compensation).toMatchObject({ status: 'completed' });
    const customerId = (await customerByEmail(h, email))?.id ?? '';
    let held = await records(customerId);
    expect(held.subscriptions.map((each) => each.status)).toEqual(['cancelled']);
    expect(held.licenses.map((each) => each.status)).toEqual(['revoked']);
    expect(held.deployments).toEqual([]);
    const [cancelled] = await h.query<{ type: string; data: { reason: string } }>(
      "select e.type, e.data from subscription_events e where e.subscription_id = ? and e.type = 'cancelled'",
      [held.subscriptions[0]?.id],
    );
    expect(cancelled?.data.reason).toBe(`onboarding of lead ${lead.id} failed`);

    await freeEmail(email);
    await h.gql(RetryExecutionDocument, { id: executionId });
    expect((await h.waitFor(executionId)).status).toBe('COMPLETED');
    held = await records(customerId);
    expect(held.subscriptions.map((each) => each.status).sort()).toEqual(['active', 'cancelled']);
    expect(held.licenses.map((each) => each.status).sort()).toEqual(['active', 'revoked']);
    expect(held.deployments).toEqual([expect.objectContaining({ status: 'PROVISIONED' })]);
  });

  it('partner_customer_provisioning: the seats go back to the pool and the license is revoked; a retry takes them again', async () => {
    const seatsUsed = async () =>
      (await h.query<{ seats_used: number }>("select seats_used from partners where code = 'demo-partner'"))[0]?.seats_used;
    const before = await seatsUsed();
    const email = 'pat@taken.example';
    await takeEmail(email);
    const executionId = await h.run('partner_customer_provisioning', {
      partner_id: 'demo-partner',
      customer_data: { name: 'Pat Taken', email, company: 'Taken Ltd' },
      license_count: 3,
    });

    const failed = await h.waitFor(executionId);
    expect(failed.error).toMatchObject({ code: 'CONFLICT', step: 'provision_partner_tenant' });
    expect(step(failed, 'allocate_licenses').compensation).toMatchObject({ status: 'completed' });
    expect(await seatsUsed()).toBe(before);
    const customerId = (await customerByEmail(h, email))?.id ?? '';
    expect((await records(customerId)).licenses).toEqual([expect.objectContaining({ status: 'revoked', seats: 3 })]);

    await freeEmail(email);
    await h.gql(RetryExecutionDocument, { id: executionId });
    expect((await h.waitFor(executionId)).status).toBe('COMPLETED');
    expect(await seatsUsed()).toBe((before ?? 0) + 3);
    const held = await records(customerId);
    expect(held.licenses).toEqual([expect.objectContaining({ status: 'active', seats: 3 })]);
    expect(held.deployments).toEqual([expect.objectContaining({ status: 'PROVISIONED' })]);
  });

  it('quote_accepted_to_order: a declined charge cancels the order; a rerun with another card reopens and pays it', async () => {
    const customerId = await surveyedCustomer(h, 'Dora Declined');
    const quote = (await h.gql(DomainCreateQuoteDocument, { input: { customerId, lines: [{ planId: 'pro-annual' }] } })).createQuote;
    await h.gql(DomainSendQuoteDocument, { id: quote.id });
    const executionId = await h.run('quote_accepted_to_order', { quote_id: quote.id, payment_method: 'declined_card' });

    const failed = await h.waitFor(executionId);
    expect(failed.error).toMatchObject({ code: 'PAYMENT_DECLINED', step: 'process_payment' });
    expect(step(failed, 'create_order').compensation).toMatchObject({ status: 'completed' });
    const orderId = (step(failed, 'create_order').output as { orderId: string }).orderId;
    expect((await records(customerId)).orders).toEqual([expect.objectContaining({ id: orderId, status: 'cancelled', amountPaid: 0 })]);

    const rerunId = (await h.gql(RerunExecutionDocument, { id: executionId, fromStep: 'defaults', context: { payment_method: 'card' } }))
      .rerunExecution.id;
    expect((await h.waitFor(rerunId)).status).toBe('COMPLETED');
    expect((await records(customerId)).orders).toEqual([expect.objectContaining({ id: orderId, status: 'paid' })]);
  });

  it('customer_renewal_process: a renewal quote whose e-mail could not be written is withdrawn; a retry offers a new one', async () => {
    const globex = await customerByEmail(h, 'ops@globex.example');
    const [subscription] = (await records(globex?.id ?? '')).subscriptions.filter((each) => each.planCode === 'pro-monthly');
    const template = (name: string, to: string) =>
      h.query('update email_templates set name = ? where tenant_id = ? and name = ?', [to, h.tenantId, name]);
    await template('subscription_renewal', 'subscription_renewal_withheld');
    const executionId = await h.run('customer_renewal_process', { customer_id: globex?.id ?? '', subscription_id: subscription?.id ?? '' });

    const failed = await h.waitFor(executionId);
    await template('subscription_renewal_withheld', 'subscription_renewal');
    expect(failed.error).toMatchObject({ step: 'send_renewal_quote' });
    expect(step(failed, 'create_renewal_quote').compensation).toMatchObject({ status: 'completed' });
    const withdrawn = (step(failed, 'create_renewal_quote').output as { quoteId: string }).quoteId;
    const quotes = async () =>
      (await h.gql(DomainQuotesDocument, { customerId: globex?.id ?? '' })).quotes.filter((quote) => quote.kind === 'RENEWAL');
    expect((await quotes()).map((quote) => [quote.id, quote.status])).toEqual([[withdrawn, 'EXPIRED']]);

    await h.gql(RetryExecutionDocument, { id: executionId });
    const waiting = await h.waitFor(executionId, parkedForAcceptance);
    const offered = (step(waiting, 'create_renewal_quote').output as { quoteId: string }).quoteId;
    expect(offered).not.toBe(withdrawn);
    expect(new Map((await quotes()).map((quote) => [quote.id, quote.status]))).toEqual(
      new Map([
        [withdrawn, 'EXPIRED'],
        [offered, 'SENT'],
      ]),
    );
  });
});
