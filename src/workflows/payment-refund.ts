import { EXTERNAL_RETRY, formattedAmount, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const PAYMENT_REFUND = 'payment_refund';

/**
 * A payment captured after payment_processing gave up on it (its confirmation came after the hour, so the
 * run failed with TIMEOUT and voided the invoice) is given back: `payment.late_capture` — recorded once per
 * intent when the capture and the timeout have both happened, whichever came first — starts this run,
 * which refunds the whole amount through the provider, records the intent `refunded` and tells the customer
 * by e-mail through the outbox (template `payment_refunded`).
 */
export function paymentRefund(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: PAYMENT_REFUND,
    revision: 2,
    description: 'Refund of a payment captured after its run gave up on it (payment.late_capture), and its e-mail to the customer.',
    tags: ['built-in', 'billing', 'payments'],
    definition: {
      input: {
        type: 'object',
        required: ['intent_id'],
        properties: { intent_id: { type: 'string', format: 'uuid', description: 'The payment intent (ours) to refund.' } },
      },
      triggers: [{ event: 'payment.late_capture', context: '{ "intent_id": event.intentId }' }],
      steps: [
        {
          name: 'refund',
          type: 'service_call',
          service: 'billing',
          method: 'refundLateCapture',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 60,
          params: { intentId: '${context.intent_id}' },
        },
        {
          name: 'amount',
          type: 'transform',
          description: 'The refunded amount as the e-mail shows it.',
          expression: formattedAmount('steps.refund.output.amount'),
        },
        {
          name: 'notify_customer',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          description: 'Only when this run refunded it: an intent refunded before (or never captured late) is not announced again.',
          when: 'steps.refund.output.refunded = true',
          params: {
            template: 'payment_refunded',
            recipient: { email: '${steps.refund.output.customerEmail}', name: '${steps.refund.output.customerName}' },
            variables: {
              customer_name: '${steps.refund.output.customerName}',
              invoice_number: '${steps.refund.output.invoiceNumber}',
              amount: '${steps.amount.output}',
              currency: '${steps.refund.output.currency}',
              refund_reference: '${steps.refund.output.refundReference}',
            },
          },
        },
      ],
      output: '${steps.refund.output}',
    },
  };
}
