import type { BuiltInOptions, BuiltInWorkflow } from './common.js';

export const LEAD_TO_OPPORTUNITY = 'lead_to_opportunity';

/** How long an opportunity may sit at its first stage, and how long it may stay open, before its owner gets a task. */
export const STAGE_FOLLOW_UP_SECONDS = 7 * 24 * 3600;
export const CLOSE_FOLLOW_UP_SECONDS = 30 * 24 * 3600;

const CLOSED = '["closed_won", "closed_lost"]';

/**
 * Seed 003 §2: an opportunity, once a lead is converted (`opportunity.created`), followed through its
 * stages. Two waits at once (`opportunity.stage_changed`): for its first move — a week without one makes a
 * follow-up task for the owner — and for its close — thirty days open makes another.
 * Won, it asks for the invoice (`invoice.requested`), whose trigger starts payment_processing — one
 * workflow starting another through an event. Lost, or never closed, it ends there.
 */
export function leadToOpportunity(_options: BuiltInOptions): BuiltInWorkflow {
  const thisOpportunity = 'event.opportunityId = context.opportunity_id';
  return {
    name: LEAD_TO_OPPORTUNITY,
    description: 'Lead to opportunity: follows a converted lead through the pipeline, follow-ups when it stalls, invoicing when it is won.',
    tags: ['built-in', 'crm', 'sales'],
    definition: {
      input: {
        type: 'object',
        required: ['opportunity_id'],
        additionalProperties: false,
        properties: {
          opportunity_id: { type: 'string', format: 'uuid', description: 'An opportunity made by convertLead.' },
          tenant_id: { type: 'string', minLength: 1, description: "The acting tenant's id or slug; default: the workflow's tenant." },
        },
      },
      triggers: [{ event: 'opportunity.created', context: '{ "opportunity_id": event.opportunityId }' }],
      steps: [
        {
          name: 'follow',
          type: 'parallel',
          description: 'Both waits register as the run starts, so no move between them can slip through.',
          branches: [
            [
              {
                name: 'wait_for_progress',
                type: 'wait',
                description: 'The first move of the opportunity: to a later stage, or closed.',
                event: { name: 'opportunity.stage_changed', match: thisOpportunity, timeoutSeconds: STAGE_FOLLOW_UP_SECONDS, onTimeout: 'continue' },
              },
              {
                name: 'follow_up_stalled',
                type: 'service_call',
                service: 'crm',
                method: 'createFollowUpTask',
                when: 'steps.wait_for_progress.output.timedOut = true',
                params: { opportunityId: '${context.opportunity_id}', title: 'No progress in a week: call the customer and move the opportunity on', dueInDays: 1 },
              },
            ],
            [
              {
                name: 'wait_for_close',
                type: 'wait',
                description: 'closed_won or closed_lost.',
                event: { name: 'opportunity.stage_changed', match: `${thisOpportunity} and event.stage in ${CLOSED}`, timeoutSeconds: CLOSE_FOLLOW_UP_SECONDS, onTimeout: 'continue' },
              },
              {
                name: 'follow_up_open',
                type: 'service_call',
                service: 'crm',
                method: 'createFollowUpTask',
                when: 'steps.wait_for_close.output.timedOut = true',
                params: { opportunityId: '${context.opportunity_id}', title: 'Open for thirty days: close it, won or lost', dueInDays: 2 },
              },
            ],
          ],
        },
        {
          name: 'outcome',
          type: 'transform',
          description: 'closed_won, closed_lost, or open (not closed in thirty days).',
          expression: '$exists(steps.wait_for_close.output.event.stage) ? steps.wait_for_close.output.event.stage : "open"',
        },
        {
          name: 'request_invoice',
          type: 'service_call',
          service: 'crm',
          method: 'requestInvoice',
          description: 'invoice.requested: payment_processing starts on it.',
          when: 'steps.outcome.output = "closed_won"',
          params: { opportunityId: '${context.opportunity_id}' },
        },
      ],
    },
  };
}
