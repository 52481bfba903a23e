import { formattedAmount, literal, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const PAYMENT_PROCESSING = 'payment_processing';

/** How long the provider has to confirm a payment through its webhook: an hour. */
export const PAYMENT_CONFIRMATION_SECONDS = 3600;

/**
 * Seed 003 §4: a payment taken asynchronously, then invoiced with tax and sent. A draft invoice with the
 * region's tax (converted to the invoice currency through the rates table) → a payment intent for its total
 * with the provider (the ledger's asynchronous mode, or Stripe's API) → a wait for the provider's signed
 * webhook, `payment.succeeded` or `payment.failed` for that intent, up to an hour → the transaction updated
 * (and the invoice paid) → the confirmation required (PAYMENT_DECLINED / TIMEOUT otherwise) → the invoice
 * as a PDF → e-mailed with the PDF attached through the outbox.
 *
 * A failed or unconfirmed payment fails the run with that typed error; the compensations cancel the
 * intent (when it is still open) and void the invoice draft. The transaction keeps its recorded outcome.
 */
export function paymentProcessing({ tenantId }: BuiltInOptions): BuiltInWorkflow {
  return {
    name: PAYMENT_PROCESSING,
    revision: 3,
    description: 'Payment processing: draft invoice with tax, payment intent, provider webhook, invoice paid, PDF, e-mail.',
    tags: ['built-in', 'billing', 'payments'],
    definition: {
      input: {
        type: 'object',
        required: ['customer_id', 'amount', 'currency', 'region'],
        additionalProperties: false,
        properties: {
          customer_id: { type: 'string', format: 'uuid', description: 'Who pays.' },
          amount: { type: 'integer', minimum: 1, description: 'The price before tax, integer minor units of `currency`.' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$', description: "The price's currency (ISO 4217)." },
          region: {
            type: 'string',
            pattern: '^[A-Z]{2}(-[A-Z0-9]{1,3})?$',
            description: 'The tax region: DE, FR, GB, AU, IN, US-CA… (the tax rates table).',
          },
          invoice_currency: {
            type: 'string',
            pattern: '^[A-Z]{3}$',
            description: 'Invoice and charge in this currency (converted at the rates table); default `currency`.',
          },
          description: { type: 'string', minLength: 1, maxLength: 500, description: 'The invoice line; default "Payment".' },
          payment_method: {
            type: 'string',
            pattern: '^[A-Za-z][A-Za-z0-9_]{1,99}$',
            description:
              'Default card (the ledger: declined_card is declined, unconfirmed_card never confirms); with Stripe, a payment method id (pm_…).',
          },
          tenant_id: { type: 'string', minLength: 1, description: "The acting tenant's id or slug; default: the workflow's tenant." },
        },
      },
      // A won opportunity asks for its invoice (lead_to_opportunity's request_invoice): one workflow starting another.
      triggers: [
        {
          event: 'invoice.requested',
          context:
            '{ "customer_id": event.customerId, "amount": event.amount, "currency": event.currency, "region": event.region, "description": event.description }',
        },
      ],
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression: `$merge([{ "tenant_id": ${literal(tenantId)}, "payment_method": "card", "description": "Payment", "invoice_currency": context.currency }, context])`,
        },
        {
          name: 'create_invoice_draft',
          type: 'service_call',
          service: 'billing',
          method: 'createInvoiceDraft',
          params: {
            customerId: '${context.customer_id}',
            amount: '${context.amount}',
            currency: '${context.currency}',
            invoiceCurrency: '${steps.defaults.output.invoice_currency}',
            region: '${context.region}',
            description: '${steps.defaults.output.description}',
          },
          compensate: {
            service: 'billing',
            method: 'voidInvoice',
            params: { invoiceId: '${steps.create_invoice_draft.output.invoiceId}', reason: 'the payment did not complete' },
          },
        },
        {
          name: 'create_payment_intent',
          type: 'service_call',
          service: 'billing',
          method: 'createPaymentIntent',
          description: "The provider's intent for the invoice's total; how it ends comes in the provider's webhook.",
          retry: { maxAttempts: 5, initialIntervalSeconds: 2, backoffRate: 2, maxDelaySeconds: 60, jitter: 'full' },
          timeoutSeconds: 60,
          params: { invoiceId: '${steps.create_invoice_draft.output.invoiceId}', paymentMethod: '${steps.defaults.output.payment_method}' },
          compensate: {
            service: 'billing',
            method: 'cancelPaymentIntent',
            params: { intentId: '${steps.create_payment_intent.output.intentId}' },
          },
        },
        {
          name: 'wait_for_payment',
          type: 'wait',
          description: "The provider's signed webhook (POST /webhooks/payments) about this intent, either way.",
          event: {
            name: 'payment.succeeded|payment.failed',
            match: 'event.intentId = steps.create_payment_intent.output.providerReference',
            // The provider may confirm the intent before this step starts: its webhook counts from the run's start.
            since: 'run',
            timeoutSeconds: PAYMENT_CONFIRMATION_SECONDS,
            onTimeout: 'continue',
          },
        },
        {
          name: 'update_transaction',
          type: 'service_call',
          service: 'billing',
          method: 'settlePaymentIntent',
          params: { intentId: '${steps.create_payment_intent.output.intentId}', confirmation: '${steps.wait_for_payment.output}' },
        },
        {
          name: 'require_payment',
          type: 'service_call',
          service: 'billing',
          method: 'requirePaymentSucceeded',
          description: 'PAYMENT_DECLINED or TIMEOUT unless the payment succeeded: the run fails here and its compensations run.',
          params: { settled: '${steps.update_transaction.output}' },
        },
        {
          name: 'render_invoice_pdf',
          type: 'service_call',
          service: 'billing',
          method: 'renderInvoicePdf',
          params: { invoiceId: '${steps.create_invoice_draft.output.invoiceId}' },
        },
        {
          name: 'invoice_summary',
          type: 'transform',
          description: 'The amounts as the e-mail shows them.',
          expression: `{ "total": ${formattedAmount('steps.create_invoice_draft.output.totalAmount')}, "tax": ${formattedAmount('steps.create_invoice_draft.output.taxAmount')} }`,
        },
        {
          name: 'send_invoice',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'invoice_issued',
            recipient: {
              email: '${steps.create_invoice_draft.output.customerEmail}',
              name: '${steps.create_invoice_draft.output.customerName}',
            },
            variables: {
              customer_name: '${steps.create_invoice_draft.output.customerName}',
              invoice_number: '${steps.create_invoice_draft.output.invoiceNumber}',
              total_amount: '${steps.invoice_summary.output.total}',
              tax_amount: '${steps.invoice_summary.output.tax}',
              tax_label: '${steps.create_invoice_draft.output.taxLabel}',
              currency: '${steps.create_invoice_draft.output.currency}',
            },
            attachments: [{ documentId: '${steps.render_invoice_pdf.output.documentId}' }],
          },
        },
      ],
    },
  };
}
