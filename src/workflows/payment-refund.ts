import { EXTERNAL_RETRY, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const PAYMENT_REFUND = 'payment_refund';

/**
 * A payment captured after payment_processing gave up on it (its confirmation came after the hour, so the
 * run failed with TIMEOUT and voided the invoice) is given back: `payment.late_capture` — recorded once per
 * intent when the capture and the timeout have both happened, whichever came first — starts this run,
 * which refunds the whole amount through the provider and records the intent `refunded`.
 */
export function paymentRefund(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: PAYMENT_REFUND,
    description: 'Refund of a payment captured after its run gave up on it (payment.late_capture).',
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
      ],
      output: '${steps.refund.output}',
    },
  };
}
