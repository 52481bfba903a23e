import { EXTERNAL_RETRY, RENEWAL_ACCEPTANCE_SECONDS, formattedAmount, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const CUSTOMER_RENEWAL_PROCESS = 'customer_renewal_process';

/**
 * A subscription near its period end is offered a renewal: when eligible (otherwise the run ends,
 * completed), a renewal quote for one billing cycle is sent, and the run waits — holding no worker — for
 * that quote's `quote.accepted` for up to seven days. Accepted: the quote is invoiced and charged (retried
 * while the provider is unavailable), the subscription extended by the quote's term, and the customer
 * told. Not accepted in time: the run ends, completed, with the quote left to expire.
 *
 * Failure: a quote whose e-mail could not be written is withdrawn (expired), so nobody accepts an offer the
 * customer never got. A declined or unavailable charge leaves no invoice and the subscription as it was
 * (the accepted quote stands: a retry charges it once the card or the provider is fixed). A charge taken
 * before a later step failed is not refunded by the run: its error names the step, for people to settle.
 *
 * Started by `subscription.expiring_soon` (a daily scan, 30 days before the period end) or the API.
 */
export function customerRenewalProcess(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: CUSTOMER_RENEWAL_PROCESS,
    revision: 3,
    description: 'Renewal: eligibility, renewal quote by e-mail, wait for its acceptance (7 days), payment, extension, confirmation.',
    tags: ['built-in', 'billing', 'renewal'],
    definition: {
      input: {
        type: 'object',
        required: ['customer_id', 'subscription_id'],
        additionalProperties: false,
        properties: {
          customer_id: { type: 'string', format: 'uuid' },
          subscription_id: { type: 'string', format: 'uuid', description: "One of the customer's subscriptions." },
        },
      },
      triggers: [
        { event: 'subscription.expiring_soon', context: '{ "customer_id": event.customerId, "subscription_id": event.subscriptionId }' },
      ],
      steps: [
        {
          name: 'check_eligibility',
          type: 'service_call',
          service: 'billing',
          method: 'checkRenewalEligibility',
          params: { customerId: '${context.customer_id}', subscriptionId: '${context.subscription_id}' },
        },
        {
          name: 'eligible',
          type: 'condition',
          description: 'Ends the run (completed) for a cancelled or lapsed subscription or an overdue invoice.',
          expression: 'steps.check_eligibility.output.eligible = true',
          onFalse: 'end',
        },
        {
          name: 'get_customer',
          type: 'service_call',
          service: 'customer',
          method: 'getCustomer',
          params: { customerId: '${context.customer_id}' },
        },
        {
          name: 'create_renewal_quote',
          type: 'service_call',
          service: 'crm',
          method: 'createRenewalQuote',
          params: {
            customerId: '${context.customer_id}',
            subscriptionId: '${context.subscription_id}',
            renewalTerm: '${steps.check_eligibility.output.renewalTermMonths}',
          },
          compensate: { service: 'crm', method: 'withdrawQuote', params: { quoteId: '${steps.create_renewal_quote.output.quoteId}' } },
        },
        {
          name: 'renewal_terms',
          type: 'transform',
          description: 'The quote as the e-mails show it.',
          expression:
            `{ "price": ${formattedAmount('steps.create_renewal_quote.output.totalAmount')}, ` +
            `"periodEnd": $substring(steps.create_renewal_quote.output.renewalPeriodEnd, 0, 10) }`,
        },
        {
          name: 'send_renewal_quote',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'subscription_renewal',
            recipient: { email: '${steps.get_customer.output.email}', name: '${steps.get_customer.output.name}' },
            variables: {
              customer_name: '${steps.get_customer.output.name}',
              quote_id: '${steps.create_renewal_quote.output.quoteNumber}',
              renewal_price: '${steps.renewal_terms.output.price}',
              currency: '${steps.create_renewal_quote.output.currency}',
            },
          },
        },
        {
          name: 'wait_for_acceptance',
          type: 'wait',
          description: "Parks the run until this renewal quote's quote.accepted, for at most seven days.",
          event: {
            name: 'quote.accepted',
            match: 'event.quoteId = steps.create_renewal_quote.output.quoteId',
            // The quote is out before this step starts (its e-mail is sent just above): an acceptance may come first.
            since: 'run',
            timeoutSeconds: RENEWAL_ACCEPTANCE_SECONDS,
            onTimeout: 'continue',
          },
        },
        {
          name: 'quote_accepted',
          type: 'condition',
          description: 'Ends the run (completed) when the quote was not accepted in time.',
          expression: '$not(steps.wait_for_acceptance.output.timedOut = true)',
          onFalse: 'end',
        },
        {
          name: 'process_renewal_payment',
          type: 'service_call',
          service: 'billing',
          method: 'processRenewalPayment',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 60,
          params: { customerId: '${context.customer_id}', quoteId: '${steps.create_renewal_quote.output.quoteId}' },
        },
        {
          name: 'extend_subscription',
          type: 'service_call',
          service: 'billing',
          method: 'extendSubscription',
          params: {
            subscriptionId: '${context.subscription_id}',
            extensionPeriod: '${steps.create_renewal_quote.output.termMonths}',
            renewalQuoteId: '${steps.create_renewal_quote.output.quoteId}',
          },
        },
        {
          name: 'send_renewal_confirmation',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'renewal_confirmation',
            recipient: { email: '${steps.get_customer.output.email}', name: '${steps.get_customer.output.name}' },
            variables: {
              customer_name: '${steps.get_customer.output.name}',
              period_end: '${steps.renewal_terms.output.periodEnd}',
            },
          },
        },
      ],
    },
  };
}
