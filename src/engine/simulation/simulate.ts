import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import {
  canonicalMethodName,
  canonicalServiceName,
  methodParams,
  problemsOf,
  type ServiceMethod,
  type ServiceRegistry,
} from '../../services/registry.js';
import { compileExpression, evaluateExpression, expressionInput } from '../definition/expressions.js';
import { resolvedParameters, type ResolvedParameter } from '../definition/resolved-parameters.js';
import { assertNever, type ServiceReference, type StepDefinition, type WorkflowDefinition } from '../definition/step-types.js';
import { resolveTemplates, type TenantView } from '../definition/templates.js';
import { verdictOf, type Verdict } from '../definition/verdicts.js';
import { findStep } from '../definition/walk.js';
import { applyOutcome, containerFinished, skipped, started, type StepChange } from '../runtime/apply-outcome.js';
import { decide } from '../runtime/decider.js';
import { toRecordedError } from '../runtime/errors.js';
import { runFailure, runResult } from '../runtime/run-outcome.js';
import type { ExecutionState, StepState } from '../runtime/state.js';
import { evaluateInRun, templateScope } from '../runtime/step-context.js';
import type { Diagnostic } from './lint.js';
import { STEP_HANDLERS } from '../steps/registry.js';
import type { StepOutcome, StepRunContext, StepServices } from '../steps/types.js';

/**
 * A dry run: the engine's own decider and its records of outcomes (applyOutcome, containerFinished)
 * drive the run, transforms and conditions run through their own handlers, templates and `when`
 * guards through the runtime's resolvers — only what leaves the process is replaced: a service call,
 * a child run, an event or a person's decision answers from `mocks` (`"<service>.<method>"`,
 * `"workflow.<name>"`, `"event.<name>"`, `"approval.<step>"`; a string is JSONata over the run with
 * `params` / `input`, anything else is the answer as is) and, unmocked, is reported and answers null.
 * Waits end at once (simulated time moves on). Nothing is read or written.
 */

export interface SimulatedStep {
  step: string;
  type: StepDefinition['type'];
  status: StepState['status'];
  output: JsonValue | null;
  error: RecordedError | null;
  resolvedParameters: ResolvedParameter[];
  /** The `when` guard's verdict, then a condition's (with its branch). */
  decisions: Array<Verdict & { kind: 'when' | 'condition'; branch: string | null }>;
  /** What it called, and whether a mock answered. */
  call: { name: string; mocked: boolean } | null;
}

export interface Simulation {
  status: 'completed' | 'failed';
  /** The steps that ran, in the order they started. */
  path: string[];
  steps: SimulatedStep[];
  /** Calls no mock answered: reported, never made. */
  unmocked: Array<{ step: string; call: string }>;
  /** Steps a compensation would have undone. */
  compensated: string[];
  /**
   * What the run's own values showed: a service call's resolved params its method refuses (the step
   * fails VALIDATION, as in a run), a mocked answer that lacks what the method declares it gives.
   */
  diagnostics: Diagnostic[];
  result: JsonValue | null;
  error: RecordedError | null;
}

export interface SimulationInput {
  definition: WorkflowDefinition;
  context: JsonObject;
  mocks: Readonly<Record<string, JsonValue>>;
  services: Pick<ServiceRegistry, 'resolve'>;
  tenant?: TenantView;
  now: Date;
}

/** A run that never ends (a loop of retries) is cut off here. */
const MAX_TURNS = 10_000;

/** Only the members transforms and conditions use; the others would leave the process. */
function simulatedContext(run: { state: ExecutionState; tenant: TenantView | undefined }, key: string, now: Date): StepRunContext {
  const outside = (): never => {
    throw new AppError('INVALID_STATE', `step ${key}: a simulation calls nothing`);
  };
  return {
    executionId: run.state.executionId,
    tenantId: run.state.tenantId,
    recorded: run.state.steps.get(key),
    attempt: 1,
    resuming: false,
    now,
    signal: new AbortController().signal,
    resolve: (value, path) => resolveTemplates(value, templateScope(run), { step: key, path }),
    evaluate: (expression, extra) => evaluateInRun(run, expression, extra),
    get services(): StepServices {
      return outside();
    },
    startChildExecution: outside,
    childExecution: () => undefined,
    eventWait: () => undefined,
    approval: { load: outside, open: outside, expire: outside },
    recordError: toRecordedError,
  };
}

export async function simulate(input: SimulationInput): Promise<Simulation> {
  const { definition, mocks } = input;
  const state: ExecutionState = {
    executionId: 'simulation',
    tenantId: input.tenant?.id ?? 'simulation',
    status: 'running',
    context: input.context,
    steps: new Map(),
    cancelRequested: false,
    pauseRequested: false,
  };
  const run = { state, tenant: input.tenant };
  let now = input.now;
  let sequence = 1;
  const path: string[] = [];
  const unmocked: Simulation['unmocked'] = [];
  const calls = new Map<string, { name: string; mocked: boolean }>();
  const whens = new Map<string, Verdict>();
  const compensated: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const record = (change: StepChange) => state.steps.set(change.step.key, change.step);

  /** A call leaving the process: its mock's answer, or null and a report. */
  const answer = async (step: string, name: string, extra: JsonObject): Promise<JsonValue> => {
    const mock = mocks[name];
    calls.set(step, { name, mocked: mock !== undefined });
    if (mock === undefined) {
      unmocked.push({ step, call: name });
      return null;
    }
    if (typeof mock !== 'string') return mock;
    return (await evaluateExpression(compileExpression(mock), { ...expressionInput(templateScope(run)), ...extra })) ?? null;
  };
  /** Refused as the registry refuses it in a run: the step fails VALIDATION, and the diagnostic names it. */
  const checkParams = (step: string, method: ServiceMethod, name: string, params: JsonObject): void => {
    const problems = problemsOf(method.input, methodParams(params));
    if (problems.length === 0) return;
    diagnostics.push({ code: 'invalid_params', step, message: `${name} refuses the parameters it would get: ${problems.join('; ')}` });
    throw new AppError('VALIDATION', `${name}: ${problems.join('; ')}`, { details: { problems } });
  };
  const serviceCall = async (step: StepDefinition, ref: ServiceReference, ctx: StepRunContext): Promise<StepOutcome> => {
    const params = ctx.resolve(ref.params ?? {}, `$.${step.name}.params`) as JsonObject;
    const method = input.services.resolve(ref.service, ref.method);
    if (!method) throw new AppError('VALIDATION', `unknown service method ${ref.service}.${ref.method}`);
    const name = `${canonicalServiceName(ref.service)}.${canonicalMethodName(ref.method)}`;
    checkParams(step.name, method, name, params);
    const output = await answer(step.name, name, { params });
    // The steps after it read the mock as if the method had answered it: it must be an answer the method gives.
    const problems = method.output && mocks[name] !== undefined ? problemsOf(method.output, output, '(answer)') : [];
    if (problems.length > 0)
      diagnostics.push({
        code: 'mock_output_mismatch',
        step: step.name,
        message: `the mock of ${name} is no answer it gives: ${problems.join('; ')}`,
      });
    return { kind: 'completed', output, input: params };
  };
  const body = async (step: StepDefinition, ctx: StepRunContext): Promise<StepOutcome> => {
    switch (step.type) {
      case 'transform':
        return STEP_HANDLERS.transform.run(step, ctx);
      case 'condition':
        return STEP_HANDLERS.condition.run(step, ctx);
      case 'parallel':
        return STEP_HANDLERS.parallel.run(step, ctx);
      case 'service_call':
        return serviceCall(step, step, ctx);
      case 'sub_workflow': {
        const child = ctx.resolve(step.input ?? {}, `$.${step.name}.input`) as JsonObject;
        return { kind: 'completed', output: await answer(step.name, `workflow.${step.workflow}`, { input: child }), input: child };
      }
      case 'wait': {
        if (step.event)
          return {
            kind: 'completed',
            output: { eventId: null, event: await answer(step.name, `event.${step.event.name}`, {}), receivedAt: now.toISOString() },
          };
        const until =
          step.seconds !== undefined
            ? new Date(now.getTime() + step.seconds * 1000).toISOString()
            : ctx.resolve(step.until ?? null, `$.${step.name}.until`);
        return { kind: 'completed', output: { waitedUntil: until } };
      }
      case 'approval':
        return { kind: 'completed', output: await answer(step.name, `approval.${step.name}`, {}) };
      default:
        return assertNever(step, 'step');
    }
  };
  const attempt = async (step: StepDefinition): Promise<StepOutcome> => {
    const ctx = simulatedContext(run, step.name, now);
    try {
      let when: Verdict | undefined;
      if (step.when !== undefined) {
        when = verdictOf(step.when, await ctx.evaluate(step.when));
        whens.set(step.name, when);
        if (!when.result) return { kind: 'skipped', verdict: when };
      }
      const outcome = await body(step, ctx);
      return when ? { ...outcome, when } : outcome;
    } catch (error) {
      return { kind: 'failed', error: toRecordedError(error) };
    }
  };

  let end: { status: Simulation['status']; result: JsonValue | null; error: RecordedError | null } | undefined;
  for (let turn = 0; !end; turn += 1) {
    if (turn >= MAX_TURNS) throw new AppError('VALIDATION', `the simulation did not end within ${MAX_TURNS} steps`);
    const decision = decide({ definition, state, now, inFlight: new Set(), blocked: new Map() });
    switch (decision.kind) {
      case 'act':
        for (const step of decision.start) {
          const change = started(step, state.steps.get(step.name), sequence++, now);
          record(change);
          if (!path.includes(step.name)) path.push(step.name);
          const outcome = await attempt(step);
          const applied = applyOutcome({ step, current: change.step, outcome, attempt: change.step.attempts, resuming: false, now });
          applied.changes.forEach(record);
          for (const untaken of applied.skip)
            if (!state.steps.has(untaken.name)) record(skipped(untaken, sequence++, 'branch not taken', now));
        }
        for (const finish of decision.finish) {
          const current = state.steps.get(finish.step.name);
          if (current) record(containerFinished(finish, current, (key) => state.steps.get(key)?.output, now));
        }
        break;
      case 'blocked':
        // A retry's delay: simulated time moves on to it.
        if (!decision.wakeAt) throw new Error('the simulation stalled with nothing to wait for');
        now = decision.wakeAt;
        break;
      case 'compensate': {
        const current = state.steps.get(decision.step.name);
        if (current) state.steps.set(current.key, { ...current, compensation: { status: 'completed', at: now.toISOString() } });
        compensated.push(decision.step.name);
        break;
      }
      case 'complete':
        for (const step of decision.skip) if (!state.steps.has(step.name)) record(skipped(step, sequence++, 'not reached', now));
        try {
          end = { status: 'completed', result: runResult(definition, state.steps, () => templateScope(run)), error: null };
        } catch (error) {
          end = { status: 'failed', result: null, error: toRecordedError(error) };
        }
        break;
      case 'fail':
        end = { status: 'failed', result: null, error: runFailure(decision.error, state.steps) };
        break;
      case 'cancel':
      case 'pause':
        throw new Error(`a simulation is never asked to ${decision.kind}`);
      default:
        assertNever(decision, 'decision');
    }
  }

  if (!end) throw new Error('the simulation ended without an outcome');
  const steps = [...state.steps.values()]
    .sort((a, b) => a.sequence - b.sequence)
    .map((recorded): SimulatedStep => {
      const step = findStep(definition, recorded.key)?.step;
      const decisions: SimulatedStep['decisions'] = [];
      const when = whens.get(recorded.key);
      if (when) decisions.push({ ...when, kind: 'when', branch: null });
      const output = recorded.output ?? null;
      if (
        step?.type === 'condition' &&
        output &&
        typeof output === 'object' &&
        !Array.isArray(output) &&
        typeof output['expression'] === 'string'
      ) {
        decisions.push({
          expression: output['expression'],
          value: output['value'] ?? null,
          result: output['result'] === true,
          kind: 'condition',
          branch: typeof output['branch'] === 'string' ? output['branch'] : null,
        });
      }
      return {
        step: recorded.key,
        type: step?.type ?? (recorded.type as StepDefinition['type']),
        status: recorded.status,
        output,
        error: recorded.error ?? null,
        resolvedParameters: step ? resolvedParameters(step, { input: recorded.input ?? null, output }) : [],
        decisions,
        call: calls.get(recorded.key) ?? null,
      };
    });
  return { ...end, path, steps, unmocked, compensated, diagnostics };
}
