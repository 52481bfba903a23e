import { EXTERNAL_RETRY, dayFromNow, formattedAmount, literal, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const QUOTE_ACCEPTED_TO_ORDER = 'quote_accepted_to_order';

/** Who accepts a quote still only sent when the run is started through the API. */
const ACCEPTED_BY_WORKFLOW = `workflow:${QUOTE_ACCEPTED_TO_ORDER}`;

/**
 * An accepted quote becomes a paid order: accept (again: a no-op returning the first acceptance when the
 * run was started by `quote.accepted`), order, charge, book a deployment slot (non-critical), confirm by
 * e-mail, tell the sales team (non-critical). The charge reaches the payment provider and is retried with
 * backoff while the provider is unavailable (the provider's idempotency key keeps a retry from charging
 * twice); a decline is final. Renewal quotes are paid by customer_renewal_process, so the trigger ignores
 * them, as it ignores the acceptance that a run started through the API records itself.
 *
 * When the charge is declined or the provider stays unavailable, the order is cancelled (a paid order is
 * never cancelled); the quote stays accepted — the customer's acceptance stands — and a retry reopens the
 * same order and charges it.
 */
export function quoteAcceptedToOrder({ tenantId }: BuiltInOptions): BuiltInWorkflow {
  return {
    name: QUOTE_ACCEPTED_TO_ORDER,
    revision: 2,
    description: 'Quote accepted to order: accept, order, payment, deployment slot, confirmation e-mail, sales notified.',
    tags: ['built-in', 'sales', 'billing'],
    definition: {
      input: {
        type: 'object',
        required: ['quote_id'],
        additionalProperties: false,
        properties: {
          quote_id: { type: 'string', format: 'uuid', description: 'A sent or accepted quote of kind new.' },
          tenant_id: { type: 'string', minLength: 1, description: "The acting tenant's id or slug; default: the workflow's tenant." },
          payment_method: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Default card.' },
          deployment_date: {
            type: 'string',
            format: 'date',
            description: 'The day to book the deployment from (YYYY-MM-DD); default tomorrow.',
          },
          deployment_priority: { enum: ['low', 'normal', 'high', 'urgent'], description: 'Default normal.' },
        },
      },
      // Not the acceptance this workflow records itself when started through the API on a sent quote: that
      // run is already under way, and a second would send a second confirmation.
      triggers: [
        {
          event: 'quote.accepted',
          filter: `event.kind = 'new' and event.acceptedBy != ${literal(ACCEPTED_BY_WORKFLOW)}`,
          context: '{ "quote_id": event.quoteId }',
        },
      ],
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression:
            `$merge([{ "tenant_id": ${literal(tenantId)}, "payment_method": "card", ` +
            `"deployment_date": ${dayFromNow(1)}, "deployment_priority": "normal" }, context])`,
        },
        {
          name: 'accept_quote',
          type: 'service_call',
          service: 'crm',
          method: 'acceptQuote',
          description:
            'A quote accepted already (the run started by quote.accepted) keeps its first acceptance; a sent one is accepted by this workflow.',
          params: { quoteId: '${context.quote_id}', acceptedBy: ACCEPTED_BY_WORKFLOW },
        },
        {
          name: 'create_order',
          type: 'service_call',
          service: 'sales',
          method: 'createOrderFromQuote',
          params: { quoteId: '${context.quote_id}', tenantId: '${steps.defaults.output.tenant_id}' },
          compensate: { service: 'sales', method: 'cancelOrder', params: { orderId: '${steps.create_order.output.orderId}' } },
        },
        {
          name: 'process_payment',
          type: 'service_call',
          service: 'billing',
          method: 'processPayment',
          description: 'Charges the open balance; a free order is paid as it is made and skips this.',
          when: 'steps.create_order.output.openBalance > 0',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 60,
          params: {
            orderId: '${steps.create_order.output.orderId}',
            amount: '${steps.create_order.output.openBalance}',
            paymentMethod: '${steps.defaults.output.payment_method}',
          },
        },
        {
          name: 'schedule_deployment',
          type: 'service_call',
          service: 'deployment',
          method: 'scheduleDeployment',
          critical: false,
          params: {
            orderId: '${steps.create_order.output.orderId}',
            customerId: '${steps.create_order.output.customerId}',
            priority: '${steps.defaults.output.deployment_priority}',
            scheduledDate: '${steps.defaults.output.deployment_date}',
          },
        },
        {
          name: 'order_summary',
          type: 'transform',
          description: 'The amounts as the confirmation shows them.',
          expression: `{ "total": ${formattedAmount('steps.create_order.output.totalAmount')} }`,
        },
        {
          name: 'send_order_confirmation',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'order_confirmation',
            recipient: '${steps.create_order.output.customerEmail}',
            variables: {
              order_id: '${steps.create_order.output.orderNumber}',
              total_amount: '${steps.order_summary.output.total}',
              currency: '${steps.create_order.output.currency}',
            },
          },
        },
        {
          name: 'notify_sales_team',
          type: 'service_call',
          service: 'notifications',
          method: 'notifyTeam',
          critical: false,
          params: {
            team: 'sales',
            channel: 'in_app',
            subject: 'Order ${steps.create_order.output.orderNumber} from quote ${steps.accept_quote.output.quoteNumber}',
            message:
              '${steps.create_order.output.customerEmail} ordered ${steps.order_summary.output.total} ${steps.create_order.output.currency}.',
            metadata: {
              orderId: '${steps.create_order.output.orderId}',
              quoteId: '${context.quote_id}',
              customerId: '${steps.create_order.output.customerId}',
              totalAmount: '${steps.create_order.output.totalAmount}',
              currency: '${steps.create_order.output.currency}',
            },
          },
        },
      ],
    },
  };
}
