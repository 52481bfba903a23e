import type { BuiltInOptions, BuiltInWorkflow } from './common.js';

export const OPPORTUNITY_FOLLOW_UP = 'opportunity_follow_up';

/**
 * Seed 003 §2's follow-ups: an opportunity that has not moved for a week — and again each week it still
 * has not — gets a task for its owner. `opportunity.stalled`, recorded by the hourly stalled-opportunities
 * scan once per opportunity, stage and whole week, starts this run. The task is made only if the
 * opportunity is still at the stage the scan saw (createFollowUpTask's `stageChangedAt`): a move between
 * the scan and the task ends the stall, and no task is made for it.
 */
export function opportunityFollowUp(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: OPPORTUNITY_FOLLOW_UP,
    revision: 2,
    description: "Follow-up task for an opportunity's owner, each week it does not move (opportunity.stalled).",
    tags: ['built-in', 'crm', 'sales'],
    definition: {
      input: {
        type: 'object',
        required: ['opportunity_id', 'stage', 'stage_changed_at', 'weeks'],
        properties: {
          opportunity_id: { type: 'string', format: 'uuid' },
          stage: { type: 'string', minLength: 1, description: 'The stage it has not left.' },
          stage_changed_at: { type: 'string', format: 'date-time', description: 'When it reached that stage (the scan read it so).' },
          weeks: { type: 'integer', minimum: 1, description: 'Whole weeks at that stage.' },
        },
      },
      triggers: [
        {
          event: 'opportunity.stalled',
          context:
            '{ "opportunity_id": event.opportunityId, "stage": event.stage, "stage_changed_at": event.stageChangedAt, "weeks": event.weeksStalled }',
        },
      ],
      steps: [
        {
          name: 'title',
          type: 'transform',
          description: "The task's title: the stage and how long.",
          expression:
            '"No move from " & context.stage & " in " & (context.weeks = 1 ? "a week" : $string(context.weeks) & " weeks") & ": call the customer and move the opportunity on"',
        },
        {
          name: 'follow_up',
          type: 'service_call',
          service: 'crm',
          method: 'createFollowUpTask',
          params: {
            opportunityId: '${context.opportunity_id}',
            title: '${steps.title.output}',
            dueInDays: 1,
            stageChangedAt: '${context.stage_changed_at}',
          },
        },
      ],
      output: '${steps.follow_up.output}',
    },
  };
}
