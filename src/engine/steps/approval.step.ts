import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { assertNever, type ApprovalStep } from '../definition/step-types.js';
import type { ApprovalRecord } from '../store/approval-store.js';
import type { StepHandler, StepOutcome, StepRunContext } from './types.js';

/**
 * A person's decision as a step. The first attempt opens the request (templates resolved then) and the
 * run parks until the request closes — enough approvals, a rejection (either signals the run), or the
 * deadline (the park's wake-up) — holding no worker. What the step records:
 * `{ approved, outcome, decisions: [{ by, userId, decision, comment, at }], timedOut? }`.
 */
export const approvalStep: StepHandler<ApprovalStep> = {
  async run(step, ctx): Promise<StepOutcome> {
    try {
      let request = (await ctx.approval.load()) ?? (await open(step, ctx));
      if (request.status === 'pending' && request.expiresAt && ctx.now >= request.expiresAt) request = await ctx.approval.expire();
      switch (request.status) {
        case 'pending':
          return { kind: 'waiting', ...(request.expiresAt ? { until: request.expiresAt } : {}), output: awaiting(request) };
        case 'approved':
          return { kind: 'completed', output: outcome(request, true) };
        case 'rejected':
          return rejected(step, request, false);
        case 'timed_out':
          return timedOut(step, request);
        default:
          return assertNever(request.status, 'approval status');
      }
    } catch (error) {
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};

async function open(step: ApprovalStep, ctx: StepRunContext): Promise<ApprovalRecord> {
  const prompt = ctx.resolve(step.prompt, `$.${step.name}.prompt`);
  const data = step.data === undefined ? null : ctx.resolve(step.data, `$.${step.name}.data`);
  const users = (step.approvers.users ?? []).flatMap((user, index) => {
    const value = ctx.resolve(user, `$.${step.name}.approvers.users[${index}]`);
    // A template may name one approver or a list of them.
    const names = Array.isArray(value) ? value : [value];
    return names.map((name) => {
      if (typeof name !== 'string' || name.trim() === '') {
        throw new AppError(
          'VALIDATION',
          `step ${step.name}: approvers.users[${index}] resolved to ${JSON.stringify(name)}, not an e-mail or user id`,
        );
      }
      return name.trim().toLowerCase();
    });
  });
  return ctx.approval.open({
    prompt: typeof prompt === 'string' ? prompt : JSON.stringify(prompt),
    data,
    roles: step.approvers.roles ?? [],
    permission: step.approvers.permission ?? null,
    users: [...new Set(users)],
    required: step.required ?? 1,
    expiresAt: step.timeout ? new Date(ctx.now.getTime() + step.timeout.seconds * 1000) : null,
  });
}

function decisions(request: ApprovalRecord): JsonValue {
  return request.decisions.map((d) => ({
    by: d.email,
    userId: d.userId,
    decision: d.decision,
    comment: d.comment,
    at: d.at.toISOString(),
  }));
}

/** Shown while it waits: what is asked and how far it got. */
function awaiting(request: ApprovalRecord): JsonObject {
  const approvals = request.decisions.filter((d) => d.decision === 'approve').length;
  return {
    awaitingApproval: {
      prompt: request.prompt,
      required: request.required,
      approvals,
      ...(request.expiresAt ? { expiresAt: request.expiresAt.toISOString() } : {}),
    },
    decisions: decisions(request),
  };
}

function outcome(request: ApprovalRecord, approved: boolean, timedOut = false): JsonObject {
  return {
    approved,
    outcome: request.status,
    decisions: decisions(request),
    ...(timedOut ? { timedOut: true } : {}),
    decidedAt: request.decidedAt?.toISOString() ?? null,
  };
}

function rejected(step: ApprovalStep, request: ApprovalRecord, timedOut: boolean): StepOutcome {
  if (step.onReject === 'continue') return { kind: 'completed', output: outcome(request, false, timedOut) };
  const by = request.decisions.find((d) => d.decision === 'reject');
  const error: RecordedError = {
    code: 'APPROVAL_REJECTED',
    message: by
      ? `rejected by ${by.email}${by.comment ? `: ${by.comment}` : ''}`
      : `no decision within ${step.timeout?.seconds ?? 0} s: rejected`,
    retryable: false,
    decisions: decisions(request),
  };
  return { kind: 'failed', error };
}

function timedOut(step: ApprovalStep, request: ApprovalRecord): StepOutcome {
  const action = step.timeout?.onTimeout ?? 'fail';
  switch (action) {
    case 'approve':
      return { kind: 'completed', output: outcome(request, true, true) };
    case 'reject':
      return rejected(step, request, true);
    case 'fail':
      return {
        kind: 'failed',
        error: {
          code: 'TIMEOUT',
          message: `no decision within ${step.timeout?.seconds ?? 0} s`,
          retryable: false,
          decisions: decisions(request),
        },
      };
    default:
      return assertNever(action, 'onTimeout');
  }
}
