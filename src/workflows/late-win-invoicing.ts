import type { BuiltInOptions, BuiltInWorkflow } from './common.js';
import { FOLLOW_SECONDS } from './lead-to-opportunity.js';

export const LATE_WIN_INVOICING = 'late_win_invoicing';

/**
 * A deal won later than lead_to_opportunity follows it (a year from its opening: that run has ended,
 * `outcome` "open") is invoiced all the same: its `opportunity.stage_changed` to closed_won starts this
 * run, which asks for the invoice as lead_to_opportunity would (`invoice.requested`, whose trigger starts
 * payment_processing). A win near the year's end that both see is invoiced once: requestInvoice's event id
 * is derived from the opportunity.
 */
export function lateWinInvoicing(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: LATE_WIN_INVOICING,
    // 1 stands for definitions seeded before revisions were kept: every built-in starts past it.
    revision: 2,
    description: 'Invoicing of a deal won more than a year after it opened, when lead_to_opportunity no longer follows it.',
    tags: ['built-in', 'crm', 'sales'],
    definition: {
      input: {
        type: 'object',
        required: ['opportunity_id'],
        properties: { opportunity_id: { type: 'string', format: 'uuid', description: 'A won opportunity.' } },
      },
      triggers: [
        {
          event: 'opportunity.stage_changed',
          filter: `event.stage = "closed_won" and $toMillis(event.closedAt) - $toMillis(event.openedAt) >= ${FOLLOW_SECONDS * 1000}`,
          context: '{ "opportunity_id": event.opportunityId }',
        },
      ],
      steps: [
        {
          name: 'request_invoice',
          type: 'service_call',
          service: 'crm',
          method: 'requestInvoice',
          description: 'invoice.requested: payment_processing starts on it.',
          params: { opportunityId: '${context.opportunity_id}' },
        },
      ],
      output: '${steps.request_invoice.output}',
    },
  };
}
