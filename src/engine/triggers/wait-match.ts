import type { JsonObject } from '../../entities/json.js';
import type { Logger } from '../../logger.js';
import { compileExpression, evaluateExpression, expressionInput, isTruthy } from '../definition/expressions.js';
import { runContext, type TemplateScope } from '../definition/templates.js';
import { loadTenantView, tenantViewOfExecution } from '../store/tenant-view.js';
import type { Queryable } from '../../infra/queryable.js';
import { completedStepOutputs } from '../store/trigger-store.js';

/**
 * Whether an event's payload satisfies a waiting step's `match` (JSONata over `{ event, context,
 * steps, tenant, … }`: the run's view, as its steps have it). No match expression: every event of the
 * name does. A match that fails to evaluate accepts nothing, and says so in the log. `tenantId`, when
 * the caller knows the run's tenant, spares a look-up (tenants are cached per process).
 */
export async function waitAccepts(
  db: Queryable,
  wait: { executionId: string; stepKey: string; match: string | null; context: JsonObject; tenantId?: string },
  payload: JsonObject,
  logger: Logger,
): Promise<boolean> {
  if (!wait.match) return true;
  const [steps, tenant] = await Promise.all([
    completedStepOutputs(db, wait.executionId),
    wait.tenantId ? loadTenantView(db, wait.tenantId) : tenantViewOfExecution(db, wait.executionId),
  ]);
  const scope: TemplateScope = {
    context: runContext(wait.context, tenant),
    ...(tenant ? { tenant } : {}),
    steps: Object.fromEntries(
      steps.map((step) => [step.key, { status: step.status, ...(step.output === null ? {} : { output: step.output }) }]),
    ),
  };
  try {
    return isTruthy(await evaluateExpression(compileExpression(wait.match), expressionInput(scope, { event: payload })));
  } catch (error) {
    logger.warn(
      { err: error, executionId: wait.executionId, step: wait.stepKey },
      'wait match expression failed; event not delivered to it',
    );
    return false;
  }
}
