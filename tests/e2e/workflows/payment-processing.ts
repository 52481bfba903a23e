import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signal } from '../../../src/engine/store/execution-store.js';
import { eventIdFor } from '../../../src/infra/event-ids.js';
import { transactionQueryable } from '../../../src/infra/queryable.js';
import { paymentsWebhookSource } from '../../../src/webhooks/payments-source.js';
import { PAYMENT_CONFIRMATION_SECONDS } from '../../../src/workflows/payment-processing.js';
import {
  PaymentInvoiceEmailsDocument,
  PaymentRatesDocument,
  PaymentRecordsDocument,
  PaymentRefundEmailsDocument,
  WebhookCreateSecretDocument,
} from '../../generated/graphql.js';
import { eventually } from '../../helpers/eventually.js';
import { deliver, paymentEvent } from '../../integration/webhooks/support.js';
import { startWorkflowHarness, step, stepStatuses, surveyedCustomer, type WorkflowHarness } from './harness.js';

/** The engine's clock, moved by the test: an unconfirmed payment times out without anyone waiting an hour. */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
}

describe('payment_processing (seed 003 §4): draft invoice with tax, intent, provider webhook, invoice paid, PDF, e-mail', () => {
  let h: WorkflowHarness;
  const clock = movableClock();
  let secret: string;

  const records = async (customerId: string) => h.gql(PaymentRecordsDocument, { customerId });
  const invoiceEmails = async (to: string) => (await h.gql(PaymentInvoiceEmailsDocument, { to })).outboxEmails;

  beforeAll(async () => {
    h = await startWorkflowHarness({ clock });
    // The ledger confirms through the signed payments webhook: the tenant needs its secret.
    secret = (await h.gql(WebhookCreateSecretDocument, { source: 'payments' })).createWebhookSecret.secret;
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('charges the total with VAT in the invoice currency, is confirmed by the ledger over the webhook, pays the invoice and e-mails its PDF', async () => {
    const customerId = await surveyedCustomer(h, 'Hans Example');
    const id = await h.run('payment_processing', {
      customer_id: customerId,
      amount: 10_000,
      currency: 'USD',
      invoice_currency: 'EUR',
      region: 'DE',
      description: 'Consulting, May',
    });
    const run = await h.waitFor(id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('COMPLETED');
    expect(stepStatuses(run)).toEqual({
      defaults: 'COMPLETED',
      create_invoice_draft: 'COMPLETED',
      create_payment_intent: 'COMPLETED',
      wait_for_payment: 'COMPLETED',
      update_transaction: 'COMPLETED',
      require_payment: 'COMPLETED',
      render_invoice_pdf: 'COMPLETED',
      invoice_summary: 'COMPLETED',
      send_invoice: 'COMPLETED',
    });

    // 100.00 USD at 0.921659 = 92.1659 → 92.17 EUR; VAT 19 % of 92.17 = 17.5123 → 17.51; total 109.68.
    const { invoices, paymentIntents, payments } = await records(customerId);
    expect(invoices).toEqual([
      expect.objectContaining({
        status: 'paid',
        amount: 10_968,
        currency: 'EUR',
        voidReason: null,
        tax: {
          subtotalAmount: 9_217,
          taxAmount: 1_751,
          label: 'VAT 19 %',
          region: 'DE',
          rateMicros: 190_000,
          priceAmount: 10_000,
          priceCurrency: 'USD',
          exchangeRateMicros: '921659',
        },
      }),
    ]);
    const [intent] = paymentIntents;
    expect(intent).toMatchObject({
      invoiceId: invoices[0]?.id,
      status: 'SUCCEEDED',
      amount: 10_968,
      currency: 'EUR',
      provider: 'ledger',
      method: 'card',
      failureCode: null,
    });
    expect(intent?.providerReference).toMatch(/^ldi_/);
    expect(payments).toEqual([
      expect.objectContaining({
        invoiceId: invoices[0]?.id,
        amount: 10_968,
        currency: 'EUR',
        provider: 'ledger',
        providerReference: intent?.providerReference,
      }),
    ]);
    // The confirmation came in as a webhook delivery, recorded as the provider's event.
    expect(step(run, 'wait_for_payment').output).toMatchObject({
      event: { intentId: intent?.providerReference, status: 'succeeded', amount: 10_968, currency: 'EUR' },
    });
    const [event] = await h.query<{ source: string; name: string }>(
      `select source, name from domain_events where payload->>'intentId' = ?`,
      [intent?.providerReference],
    );
    expect(event).toEqual({ source: 'webhook:payments', name: 'payment.succeeded' });

    const [email] = await invoiceEmails('hans.example@isp.example');
    expect(email?.subject).toBe(`Invoice ${invoices[0]?.number}: 109.68 EUR paid`);
    expect(email?.text).toContain('of which VAT 19 %: 17.51 EUR');
    expect(email?.attachments).toEqual([
      { filename: `invoice-${invoices[0]?.number}.pdf`, contentType: 'application/pdf', size: expect.any(Number) },
    ]);
    const [pdf] = await h.query<{ content: Buffer; size: number }>('select content, size from documents where invoice_id = ?', [
      invoices[0]?.id,
    ]);
    expect(pdf?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(email?.attachments[0]?.size).toBe(pdf?.size);
  });

  it('ends a declined payment with PAYMENT_DECLINED, the transaction failed and the invoice draft voided', async () => {
    const customerId = await surveyedCustomer(h, 'Dora Declined');
    const run = await h.waitFor(
      await h.run('payment_processing', {
        customer_id: customerId,
        amount: 5_000,
        currency: 'AUD',
        region: 'AU',
        payment_method: 'declined_card',
      }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ code: 'PAYMENT_DECLINED', step: 'require_payment', retryable: false });
    expect(stepStatuses(run)).toMatchObject({ update_transaction: 'COMPLETED', require_payment: 'FAILED' });
    expect(run.steps.map((each) => each.key)).not.toContain('render_invoice_pdf');
    expect(step(run, 'create_invoice_draft').compensation?.status).toBe('completed');
    expect(step(run, 'create_payment_intent').compensation?.status).toBe('completed');

    const { invoices, paymentIntents, payments } = await records(customerId);
    // GST 10 % of 50.00 AUD.
    expect(invoices).toEqual([
      expect.objectContaining({
        status: 'void',
        amount: 5_500,
        voidReason: 'the payment did not complete',
        tax: expect.objectContaining({ taxAmount: 500, label: 'GST 10 %' }),
      }),
    ]);
    expect(paymentIntents).toEqual([
      expect.objectContaining({ status: 'FAILED', failureCode: 'card_declined', failureMessage: 'Your card was declined.' }),
    ]);
    expect(payments).toEqual([]);
    expect(await invoiceEmails('dora.declined@isp.example')).toEqual([]);
  });

  it("is resumed by the provider's own signed webhook delivered to /webhooks/payments; a redelivery changes nothing", async () => {
    const customerId = await surveyedCustomer(h, 'Wanda Webhook');
    // unconfirmed_card: the ledger never confirms it — here the provider outside does, over HTTP.
    const id = await h.run('payment_processing', {
      customer_id: customerId,
      amount: 2_000,
      currency: 'USD',
      region: 'US-CA',
      payment_method: 'unconfirmed_card',
    });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    const intent = step(waiting, 'create_payment_intent').output as { providerReference: string; amount: number };
    // CA sales tax 7.25 % of 20.00 = 1.45.
    expect(intent.amount).toBe(2_145);

    const body = paymentEvent('evt_outside_1', 'payment_intent.succeeded', {
      id: intent.providerReference,
      amount: 2_145,
      currency: 'USD',
    });
    const signing = { secret, clock: { now: () => new Date() } };
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    const run = await h.waitFor(id);
    expect(run.status).toBe('COMPLETED');
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: false } });

    const { invoices, paymentIntents, payments } = await records(customerId);
    expect(invoices).toEqual([
      expect.objectContaining({
        status: 'paid',
        amount: 2_145,
        tax: expect.objectContaining({ label: 'CA sales tax 7.25 %', taxAmount: 145 }),
      }),
    ]);
    expect(paymentIntents).toEqual([expect.objectContaining({ status: 'SUCCEEDED', providerEventId: 'evt_outside_1' })]);
    expect(payments).toHaveLength(1);
  });

  it('times out when no webhook comes: TIMEOUT, the intent canceled, the invoice draft voided (time moved, not waited for)', async () => {
    const customerId = await surveyedCustomer(h, 'Tim Timeout');
    const id = await h.run('payment_processing', {
      customer_id: customerId,
      amount: 1_000,
      currency: 'GBP',
      region: 'GB',
      payment_method: 'unconfirmed_card',
    });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    expect(step(waiting, 'wait_for_payment').output).toMatchObject({ waitingFor: 'payment.succeeded|payment.failed' });

    // An hour passes on the engine's clock; the run's timer comes due (as the database would see it an hour on).
    clock.advance((PAYMENT_CONFIRMATION_SECONDS + 1) * 1000);
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, id);
    const run = await h.waitFor(id);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ code: 'TIMEOUT', step: 'require_payment', retryable: false });
    expect(step(run, 'wait_for_payment').output).toEqual({ timedOut: true });

    const { invoices, paymentIntents } = await records(customerId);
    expect(invoices).toEqual([expect.objectContaining({ status: 'void', amount: 1_200 })]);
    expect(paymentIntents).toEqual([expect.objectContaining({ status: 'CANCELED', failureCode: 'confirmation_timeout' })]);

    // The capture comes all the same, after the run gave up: payment.late_capture starts payment_refund,
    // which gives the money back through the provider (the ledger books a refund) and records it.
    const reference = paymentIntents[0]?.providerReference ?? '';
    const body = paymentEvent('evt_late_1', 'payment_intent.succeeded', { id: reference, amount: 1_200, currency: 'GBP' });
    const signing = { secret, clock: { now: () => new Date() } };
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    const { started } = await h.dispatched('payment.late_capture', (payload) => payload['providerReference'] === reference);
    const refund = await h.waitFor(started['payment_refund'] ?? '');
    expect(refund.status).toBe('COMPLETED');
    expect(refund.result).toMatchObject({
      refunded: true,
      status: 'refunded',
      amount: 1_200,
      currency: 'GBP',
      refundReference: expect.stringMatching(/^ldr_/),
    });
    const [intent] = (await records(customerId)).paymentIntents;
    expect(intent).toMatchObject({ status: 'REFUNDED', refundReference: expect.stringMatching(/^ldr_/), refundedAt: expect.any(String) });
    const booked = await h.query<{ kind: string; amount: string }>('select kind, amount from payment_ledger_entries where reference = ?', [
      intent?.refundReference,
    ]);
    expect(booked).toEqual([{ kind: 'refund', amount: expect.anything() }]);
    expect(Number(booked[0]?.amount)).toBe(1_200);
    // The customer is told, through the outbox, with the voided invoice's number and the refund's reference.
    expect(step(refund, 'notify_customer').status).toBe('COMPLETED');
    const notices = (await h.gql(PaymentRefundEmailsDocument, { to: 'tim.timeout@isp.example' })).outboxEmails;
    expect(notices).toEqual([expect.objectContaining({ subject: `Refund of 12.00 GBP for invoice ${invoices[0]?.number}` })]);
    expect(notices[0]?.text).toContain(`refund reference ${intent?.refundReference}`);

    // A redelivery of the capture records nothing and refunds nothing again.
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: false } });
    const lateCaptures = await h.query<{ n: number }>(
      "select count(*)::int as n from domain_events where name = 'payment.late_capture' and payload->>'providerReference' = ?",
      [reference],
    );
    expect(lateCaptures[0]?.n).toBe(1);
  });

  it('honours a capture recorded just before the timeout: the payment completes, nothing is refunded', async () => {
    const customerId = await surveyedCustomer(h, 'Eddie Edge');
    const id = await h.run('payment_processing', {
      customer_id: customerId,
      amount: 3_000,
      currency: 'EUR',
      region: 'FR',
      payment_method: 'unconfirmed_card',
    });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    const { providerReference } = step(waiting, 'create_payment_intent').output as { providerReference: string };
    // The wait's lookback (queued with the wait, run by the event dispatcher) must be done first: one that
    // ran after the insert below would find the capture and resume the wait, which is not this case.
    await eventually(
      'the wait for the payment has looked back',
      () => h.query<{ n: number }>('select count(*)::int as n from event_delivery_lookbacks where execution_id = ?', [id]),
      (rows) => rows[0]?.n === 0,
    );

    // The provider's capture, recorded by the webhook a moment before the hour was up, whose dispatch came
    // after the wait had timed out (so it resumed nothing): recorded as the intake records it, already dispatched.
    const capture = paymentsWebhookSource.toEvent(
      JSON.parse(paymentEvent('evt_edge_1', 'payment_intent.succeeded', { id: providerReference, amount: 3_600, currency: 'EUR' })),
    );
    if (capture.kind !== 'event') throw new Error('the capture was not turned into an event');
    await h.query(
      `insert into domain_events (id, tenant_id, name, payload, source, occurred_at, dispatched_at) values (?, ?, ?, ?::jsonb, 'webhook:payments', now(), now())`,
      [eventIdFor(h.tenantId, capture.id), h.tenantId, capture.name, JSON.stringify(capture.payload)],
    );
    clock.advance((PAYMENT_CONFIRMATION_SECONDS + 1) * 1000);
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, id);
    const run = await h.waitFor(id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('COMPLETED');
    expect(step(run, 'wait_for_payment').output).toEqual({ timedOut: true });
    expect(step(run, 'update_transaction').output).toMatchObject({ status: 'succeeded', paymentId: expect.any(String) });

    // FR VAT 20 %: 36.00 EUR paid, the invoice e-mailed; no late capture, no refund.
    const { invoices, paymentIntents, payments } = await records(customerId);
    expect(paymentIntents).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', providerEventId: 'evt_edge_1', refundReference: null }),
    ]);
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', amount: 3_600 })]);
    expect(payments).toHaveLength(1);
    expect(await invoiceEmails('eddie.edge@isp.example')).toHaveLength(1);
    // Its redelivery by the provider changes nothing either.
    const body = paymentEvent('evt_edge_1', 'payment_intent.succeeded', { id: providerReference, amount: 3_600, currency: 'EUR' });
    expect(await deliver(h.server.url, 'payments', body, { secret, clock: { now: () => new Date() } })).toMatchObject({
      status: 200,
      body: { recorded: false },
    });
    const late = await h.query<{ n: number }>(
      "select count(*)::int as n from domain_events where name = 'payment.late_capture' and payload->>'providerReference' = ?",
      [providerReference],
    );
    expect(late[0]?.n).toBe(0);
  });

  it('lists the seeded tax and exchange rates', async () => {
    const rates = await h.gql(PaymentRatesDocument, {});
    expect(rates.taxRates).toEqual(
      expect.arrayContaining([{ region: 'US-CA', kind: 'SALES_TAX'.toLowerCase(), label: 'CA sales tax 7.25 %', rateMicros: 72_500 }]),
    );
    expect(rates.exchangeRates).toEqual(expect.arrayContaining([{ base: 'USD', quote: 'EUR', rateMicros: '921659' }]));
  });
});
