import type { BuiltInOptions, BuiltInWorkflow } from './common.js';

export const LEAD_TO_OPPORTUNITY = 'lead_to_opportunity';

/** How long an opportunity may stay open before its owner gets a task, and how long the run follows it. */
export const CLOSE_FOLLOW_UP_SECONDS = 30 * 24 * 3600;
export const FOLLOW_SECONDS = 365 * 24 * 3600;

const CLOSED = '["closed_won", "closed_lost"]';

/**
 * Seed 003 §2: an opportunity, once a lead is converted (`opportunity.created`), followed to its close. Two
 * waits for the close (`opportunity.stage_changed` to closed_won or closed_lost) register at once as the run
 * starts: one up to a year, whose outcome decides the invoice, and one up to thirty days, whose timeout makes
 * a follow-up task for the owner ("open for thirty days") — both at start, so no move slips between them,
 * and both `since: run`, so a close recorded while the run was being started (the opportunity is older
 * than its run) still counts.
 * Won, it asks for the invoice (`invoice.requested`), whose trigger starts payment_processing — one
 * workflow starting another through an event. Lost, or not closed within the year, it ends there; a deal
 * won after that year is invoiced by late_win_invoicing, which its own close starts.
 * A stall at any stage — a week, and every week after, without a move — is the hourly stalled-opportunities
 * scan's to notice (stalled-opportunities.ts), and opportunity_follow_up's to turn into a task.
 */
export function leadToOpportunity(_options: BuiltInOptions): BuiltInWorkflow {
  const closes = `event.opportunityId = context.opportunity_id and event.stage in ${CLOSED}`;
  return {
    name: LEAD_TO_OPPORTUNITY,
    revision: 3,
    description:
      'Lead to opportunity: follows a converted lead to its close, a follow-up after thirty days open, invoicing when it is won.',
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
          description: 'Both waits register as the run starts, so no close between them can slip through.',
          branches: [
            [
              {
                name: 'wait_for_close',
                type: 'wait',
                description: 'closed_won or closed_lost, within a year.',
                event: {
                  name: 'opportunity.stage_changed',
                  match: closes,
                  since: 'run',
                  timeoutSeconds: FOLLOW_SECONDS,
                  onTimeout: 'continue',
                },
              },
            ],
            [
              {
                name: 'wait_thirty_days',
                type: 'wait',
                description: 'The same close, within thirty days: otherwise the owner is asked to close it.',
                event: {
                  name: 'opportunity.stage_changed',
                  match: closes,
                  since: 'run',
                  timeoutSeconds: CLOSE_FOLLOW_UP_SECONDS,
                  onTimeout: 'continue',
                },
              },
              {
                name: 'follow_up_open',
                type: 'service_call',
                service: 'crm',
                method: 'createFollowUpTask',
                when: 'steps.wait_thirty_days.output.timedOut = true',
                params: { opportunityId: '${context.opportunity_id}', title: 'Open for thirty days: close it, won or lost', dueInDays: 2 },
              },
            ],
          ],
        },
        {
          name: 'outcome',
          type: 'transform',
          description: 'closed_won, closed_lost, or open (not closed within the year).',
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
