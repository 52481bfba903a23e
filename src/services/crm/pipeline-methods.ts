import { z } from 'zod';
import { FollowUpTask } from '../../entities/domain/follow-up-task.entity.js';
import { CLOSED_STAGES, Opportunity } from '../../entities/domain/opportunity.entity.js';
import { AppError } from '../../errors.js';
import { label, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { eventIdFor } from '../../infra/event-ids.js';
import { recordDomainEvent } from '../domain-events.js';
import { defineServiceMethod } from '../registry.js';

/**
 * crm.createFollowUpTask(opportunityId, title, dueInDays?, stageChangedAt?) → {created, taskId, owner, title, dueAt, stage}
 *
 * A task for the opportunity's owner (an opportunity that waited too long at its stage), due in
 * `dueInDays` (default 1). One per call key: the step's retry makes no second task. With `stageChangedAt`
 * (the stage the task is about, as `opportunity.stalled` saw it), an opportunity that has moved or closed
 * since gets no task (`created: false`, `taskId: null`): the stall is over.
 */
export const createFollowUpTask = defineServiceMethod({
  service: 'crm',
  method: 'createFollowUpTask',
  description: "Creates a follow-up task for an opportunity's owner.",
  effects: 'local',
  input: z.object({
    opportunityId: uuid,
    title: label(300),
    dueInDays: z.int().min(0).max(90).default(1),
    stageChangedAt: z.iso.datetime({ offset: true }).optional(),
  }),
  async run(ctx, input) {
    const opportunity = await findInTenantOrFail(
      ctx.em,
      Opportunity,
      { id: input.opportunityId, tenant: ctx.tenantId },
      `opportunity ${input.opportunityId}`,
    );
    const moved =
      input.stageChangedAt !== undefined &&
      (CLOSED_STAGES.has(opportunity.stage) || opportunity.stageChangedAt.getTime() !== Date.parse(input.stageChangedAt));
    if (moved) return { created: false, taskId: null, owner: opportunity.owner, title: input.title, dueAt: null, stage: opportunity.stage };
    const task =
      (await ctx.em.findOne(FollowUpTask, { tenant: ctx.tenantId, idempotencyKey: ctx.idempotencyKey })) ??
      ctx.em.create(FollowUpTask, {
        tenant: ctx.tenantId,
        opportunity,
        owner: opportunity.owner,
        title: input.title,
        idempotencyKey: ctx.idempotencyKey,
        dueAt: new Date(ctx.now.getTime() + input.dueInDays * 86_400_000),
        createdAt: ctx.now,
      });
    await ctx.em.flush();
    return {
      created: true,
      taskId: task.id,
      owner: task.owner,
      title: task.title,
      dueAt: task.dueAt.toISOString(),
      stage: opportunity.stage,
    };
  },
});

/**
 * crm.requestInvoice(opportunityId) → {eventId, opportunityId, amount, currency}
 *
 * A won opportunity asks to be invoiced: records `invoice.requested` ({opportunityId, customerId, amount,
 * currency, region, description}), whose trigger starts payment_processing — one workflow starting another
 * through an event. The event's id is derived from the opportunity, so it is asked once however often this
 * runs. An opportunity not won is INVALID_STATE.
 */
export const requestInvoice = defineServiceMethod({
  service: 'crm',
  method: 'requestInvoice',
  description: 'Records invoice.requested for a won opportunity (payment_processing starts on it).',
  effects: 'local',
  input: z.object({ opportunityId: uuid }),
  async run(ctx, input) {
    const opportunity = await findInTenantOrFail(
      ctx.em,
      Opportunity,
      { id: input.opportunityId, tenant: ctx.tenantId },
      `opportunity ${input.opportunityId}`,
    );
    if (opportunity.stage !== 'closed_won')
      throw new AppError('INVALID_STATE', `opportunity ${opportunity.id} is ${opportunity.stage}, not won`, {
        details: { stage: opportunity.stage },
      });
    const event = recordDomainEvent(ctx.em, {
      id: eventIdFor(ctx.tenantId, `invoice.requested:${opportunity.id}`),
      tenantId: ctx.tenantId,
      name: 'invoice.requested',
      payload: {
        opportunityId: opportunity.id,
        customerId: opportunity.customer.id,
        amount: opportunity.amount,
        currency: opportunity.currency,
        region: opportunity.region,
        description: opportunity.name,
      },
      source: `opportunity:${opportunity.id}`,
    });
    await ctx.em.flush();
    return { eventId: event.id, opportunityId: opportunity.id, amount: opportunity.amount, currency: opportunity.currency };
  },
});
