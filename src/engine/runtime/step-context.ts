import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { evaluateExpression, expressionCache, expressionInput } from '../definition/expressions.js';
import { resolveTemplates, runContext, type TemplateScope, type TenantView } from '../definition/templates.js';
import type { ChildExecutionState, EventWaitState, StepOutcome, StepRunContext } from '../steps/types.js';
import type { LineageScope } from '../store/lineage-recorder.js';
import type { StepChange } from './apply-outcome.js';
import type { CheckpointBuffer } from './checkpoint-buffer.js';
import type { Checkpoint, CheckpointResult } from './checkpoint-writer.js';
import { toRecordedError } from './errors.js';
import type { ExecutorDeps } from './executor-deps.js';
import type { ExecutionState } from './state.js';
import type { StepDefinition } from '../definition/step-types.js';
import type { ServiceRegistry } from '../../services/registry.js';
import { withFields } from '../../infra/with-fields.js';
import type { AbortSource, ServiceCallRequest } from '../store/service-calls.js';

/** What a step handler sees of its run (StepRunContext), built from the run's state. */

/** The run as the step contexts need it. */
export interface RunView {
  readonly executionId: string;
  readonly tenantId: string;
  readonly state: ExecutionState;
  readonly tenant: TenantView | undefined;
  readonly children: ReadonlyMap<string, ChildExecutionState>;
  readonly waits: ReadonlyMap<string, EventWaitState>;
  readonly buffer: CheckpointBuffer;
  /** Told what a checkpoint committed in a step's own transaction brought back. */
  noteSignal(result: CheckpointResult): void;
}

const compiled = expressionCache(10_000);

/** Templates and expressions see the run's context, its tenant and its steps so far (in completion order). */
export function templateScope(run: Pick<RunView, 'state' | 'tenant'>): TemplateScope {
  const steps: TemplateScope['steps'] = {};
  const seen = [...run.state.steps.values()]
    .filter((step) => step.status === 'completed' || step.status === 'running' || step.status === 'failed' || step.status === 'skipped')
    .sort((a, b) => (a.completedAt?.getTime() ?? Infinity) - (b.completedAt?.getTime() ?? Infinity) || a.sequence - b.sequence);
  for (const step of seen)
    steps[step.key] = step.output === undefined ? { status: step.status } : { status: step.status, output: step.output };
  return { context: runContext(run.state.context, run.tenant), steps, ...(run.tenant ? { tenant: run.tenant } : {}) };
}

/**
 * templateScope(run), built when a template first reads the run's context or steps: most params hold no
 * template, and building the scope (every step so far, sorted) showed in the profile of every step.
 */
class LazyTemplateScope implements TemplateScope {
  readonly tenant?: TenantView;
  private built: TemplateScope | undefined;

  constructor(private readonly run: Pick<RunView, 'state' | 'tenant'>) {
    if (run.tenant) this.tenant = run.tenant;
  }

  get context(): TemplateScope['context'] {
    return this.scope().context;
  }

  get steps(): TemplateScope['steps'] {
    return this.scope().steps;
  }

  private scope(): TemplateScope {
    return (this.built ??= templateScope(this.run));
  }
}

export function evaluateInRun(
  run: Pick<RunView, 'state' | 'tenant'>,
  expression: string,
  extra: JsonObject = {},
): Promise<JsonValue | undefined> {
  return evaluateExpression(compiled(expression), { ...expressionInput(templateScope(run)), ...extra });
}

/** A step's error as recorded; an unexpected one (a defect, the infrastructure) is also logged. */
export function recordStepError(deps: Pick<ExecutorDeps, 'logger'>, executionId: string, key: string, error: unknown): RecordedError {
  const recorded = toRecordedError(error);
  if (recorded.code === 'INTERNAL_SERVER_ERROR' || recorded.code === 'TRANSIENT') {
    deps.logger.error({ err: error, executionId, step: key }, 'step failed with an unexpected error');
  }
  return recorded;
}

/** How a step's completion is recorded: as the step's own completion, or a compensation's. */
export type CompleteAs = (output: JsonValue, input: JsonValue | undefined) => Required<StepChange>;

export function stepRunContext(
  deps: ExecutorDeps,
  run: RunView,
  key: string,
  attempt: number,
  abort: AbortSource,
  completeAs: CompleteAs,
  resuming = false,
): StepRunContext {
  // What this step's service calls create or change is recorded as its doing (store/lineage-recorder.ts).
  const step: LineageScope = { tenantId: run.tenantId, executionId: run.executionId, stepKey: key };
  const now = deps.clock.now();
  return {
    resuming,
    executionId: run.executionId,
    tenantId: run.tenantId,
    recorded: run.state.steps.get(key),
    attempt,
    now,
    get signal() {
      return abort.signal;
    },
    resolve: (value, path) => resolveTemplates(value, new LazyTemplateScope(run), { step: key, path }),
    evaluate: (expression, extra) => evaluateInRun(run, expression, extra),
    services: {
      effectsOf: (service, method) => deps.services.resolve(service, method)?.effects,
      call: (call) => deps.serviceCalls.call(step, withFields(call, { now, abort })),
      callInStepTransaction: (call) => runInStepTransaction(deps, run, step, withFields(call, { now, abort }), completeAs),
    },
    startChildExecution: (args) =>
      deps.startChild(withFields(args, { tenantId: run.tenantId, parentExecutionId: run.executionId, parentStepKey: key })),
    childExecution: () => run.children.get(key),
    eventWait: () => run.waits.get(key),
    approval: {
      load: () => deps.approvals.load(run.tenantId, run.executionId, key),
      open: (request) => deps.approvals.open(withFields(request, { tenantId: run.tenantId, executionId: run.executionId, stepKey: key })),
      expire: () => deps.approvals.expire(run.tenantId, run.executionId, key),
    },
    recordError: (error) => recordStepError(deps, run.executionId, key, error),
  };
}

/**
 * A local-effect step: its effects and its checkpoint (with whatever else the run had pending) commit
 * in one transaction, so the effect is recorded exactly when it happened.
 */
async function runInStepTransaction(
  deps: ExecutorDeps,
  run: RunView,
  step: LineageScope,
  request: ServiceCallRequest,
  completeAs: CompleteAs,
): Promise<StepOutcome> {
  const input = request.params;
  let committed: { checkpoint: Checkpoint; result: CheckpointResult } | undefined;
  const output = await deps.serviceCalls.callInTransaction(step, request, async (output, db) => {
    // A step that timed out or was cancelled must not commit late.
    if (request.abort.aborted) throw new Error('the step was aborted before its transaction committed');
    await run.buffer.exclusive(async () => {
      const change = completeAs(output, input);
      // Into the checkpoint only: the run's state changes once this commits.
      run.buffer.queue(change.step, change.event);
      const checkpoint = run.buffer.take();
      const result = await deps.writer.writeInTransaction(db, checkpoint);
      deps.probe?.('in-transaction', { executionId: run.executionId, step: change.step.key });
      run.state.steps.set(change.step.key, change.step);
      committed = { checkpoint, result };
    });
  });
  if (!committed) throw new Error('the step transaction ended without a checkpoint');
  deps.probe?.('after-commit', { executionId: run.executionId, step: committed.checkpoint.steps.at(-1)?.key ?? '' });
  deps.writer.publish(committed.checkpoint, committed.result);
  run.noteSignal(committed.result);
  return { kind: 'completed', output, input, committed: true };
}

/** Steps whose start is committed before they run: their effects leave the database, or they start a child run. */
export function needsDurableStart(step: StepDefinition, services: ServiceRegistry): boolean {
  if (step.type === 'sub_workflow') return true;
  return step.type === 'service_call' && services.resolve(step.service, step.method)?.effects === 'external';
}
