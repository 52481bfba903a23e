import type pg from 'pg';
import { coerceError, isPermanentError } from '../../errors.js';
import { healthAfter, type ComponentHealth } from '../health.js';
import type { Logger } from '../../logger.js';
import type { Clock, EngineObserver, RunTracer } from '../ports.js';
import { toRecordedError } from '../runtime/errors.js';
import {
  claimEvents,
  markDispatched,
  recordDelivery,
  triggeredWorkflows,
  type DeliveryInput,
  type DomainEventRow,
  type TriggeredWorkflow,
} from '../store/trigger-store.js';
import { assertNever } from '../definition/step-types.js';
import { decideTrigger, type TriggerDecision } from './event-triggers.js';
import { processLookbacks } from './lookback.js';
import { DISPATCH_WAKEUP_TOPIC, listenForWakeups, type WakeupSource } from '../wakeups.js';
import type { TriggerEngine } from './ports.js';
import { withTransaction } from '../store/transactions.js';

/**
 * The event dispatcher: delivers every domain event exactly once, however many worker processes run
 * one. Each pass claims a batch of undispatched events with FOR UPDATE SKIP LOCKED (two dispatchers
 * never hold the same event), and for each event, inside that transaction:
 *   1. starts every active workflow of the tenant whose trigger accepts it — with the idempotency key
 *      `event:<event id>:<workflow>`, so a redelivery (a crash before commit) finds the same run;
 *   2. records what each start gave (event_deliveries: event → executions and back);
 *   3. resumes the waiting steps it matches (Engine.deliverEvent, which resolves a wait once);
 * then marks the batch dispatched and commits. Afterwards it takes pending lookbacks (lookback.ts).
 *
 * It wakes when a commit publishes on DISPATCH_WAKEUP_TOPIC (engine/wakeups.ts) and polls as the
 * safety net. A failure that may pass
 * (the database, a connection) leaves the event undispatched and retried with backoff; a failure that
 * will not (the trigger's context fails the workflow's input schema) is recorded for that workflow and
 * the event goes on to the others.
 */

export interface EventDispatcherOptions {
  /** Events claimed per transaction. */
  batchSize: number;
  /** How often to look without a wake-up (a lost message, Redis down): a cheap indexed probe. */
  pollIntervalMs: number;
  /** First backoff after a transient failure of one event; doubles up to 5 minutes. */
  retryDelayMs: number;
  /** Events of a batch whose runs are started at once (each start is a commit of its own). */
  startConcurrency: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: EventDispatcherOptions = {
  batchSize: 50,
  pollIntervalMs: 500,
  retryDelayMs: 1_000,
  startConcurrency: 8,
};

export interface DispatchReport {
  /** Events claimed and handled (dispatched, or left for a retry). */
  events: number;
  started: number;
  resumed: number;
  /** Deliveries that could not start their workflow (recorded, not retried). */
  failed: number;
  /** Events left undispatched after a transient failure. */
  retrying: number;
  lookbacks: number;
}

export interface EventDispatcher {
  /** One pass: a batch of events, then a batch of lookbacks. */
  runOnce(): Promise<DispatchReport>;
  /** Polls, and listens for wake-ups, until stopped; resolves once listening (it never rejects). */
  start(): Promise<void>;
  /** Stops listening and polling; resolves when the pass in progress has finished. */
  stop(): Promise<void>;
  /** For readiness: not ok while its passes fail (the database away); they are retried each poll. */
  health(): ComponentHealth;
}

export interface EventDispatcherDeps {
  pool: pg.Pool;
  engine: TriggerEngine;
  logger: Logger;
  clock: Clock;
  /** Where commits announce new work (the process's pub/sub); without it the dispatcher only polls. */
  wakeups?: WakeupSource;
  /** Told how long each delivered event waited (metrics). */
  observer?: Pick<EngineObserver, 'eventDispatched'>;
  /** With tracing on: an event recorded without a trace gets a span of its own, which the runs it starts join. */
  tracer?: Pick<RunTracer, 'untracedEvent'>;
  /** Tells the workers that runs became runnable (waits resumed by a lookback). */
  wakeWorkers?: () => void;
  options?: Partial<EventDispatcherOptions>;
}

const MAX_RETRY_DELAY_MS = 5 * 60_000;

type Settled<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: unknown };

/** `work` for each item, at most `limit` at once; every outcome in the items' order, none thrown. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<Array<Settled<R>>> {
  const results: Array<Settled<R>> = new Array<Settled<R>>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!).then(
        (value): Settled<R> => ({ kind: 'done', value }),
        (error: unknown): Settled<R> => ({ kind: 'failed', error }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export function createEventDispatcher(deps: EventDispatcherDeps): EventDispatcher {
  const { pool, engine, logger, clock } = deps;
  const options: EventDispatcherOptions = { ...DEFAULT_DISPATCHER_OPTIONS, ...deps.options };
  /** Events backing off after a transient failure, in this process. */
  const backoff = new Map<string, { failures: number; retryAt: number }>();

  /**
   * Starts what `event` triggers (on the engine's own connections; idempotent by key, so a redelivery
   * finds the same runs) and answers the deliveries to record. Throws on a failure that may pass. The
   * runs join the trace the event was recorded in; one recorded without a trace gets its own span.
   */
  async function startTriggered(
    event: DomainEventRow,
    workflows: readonly TriggeredWorkflow[],
    report: DispatchReport,
  ): Promise<DeliveryInput[]> {
    const decided: Array<{ workflow: TriggeredWorkflow; decision: TriggerDecision }> = [];
    for (const workflow of workflows) decided.push({ workflow, decision: await decideTrigger(workflow.triggers, event) });
    const deliver = () => deliverTo(event, decided, report);
    const starts = decided.some(({ decision }) => decision.kind === 'start');
    return deps.tracer && starts && !event.traceParent ? deps.tracer.untracedEvent(event, deliver) : deliver();
  }

  async function deliverTo(
    event: DomainEventRow,
    decided: ReadonlyArray<{ workflow: TriggeredWorkflow; decision: TriggerDecision }>,
    report: DispatchReport,
  ): Promise<DeliveryInput[]> {
    const deliveries: DeliveryInput[] = [];
    for (const { workflow, decision } of decided) {
      const delivery = { eventId: event.id, tenantId: event.tenantId, workflowId: workflow.id, workflowName: workflow.name };
      switch (decision.kind) {
        case 'ignore':
          continue;
        case 'error':
          report.failed += 1;
          logger.warn({ eventId: event.id, workflow: workflow.name, error: decision.error }, 'event trigger failed');
          deliveries.push({ ...delivery, status: 'failed', error: decision.error });
          continue;
        case 'start':
          try {
            const { executionId } = await engine.start({
              tenantId: event.tenantId,
              workflow: workflow.name,
              context: decision.context,
              idempotencyKey: `event:${event.id}:${workflow.name}`,
              triggerType: 'event',
              triggerSource: `${event.name}:${event.id}`,
              priority: decision.priority,
              ...(event.traceParent ? { traceParent: event.traceParent } : {}),
            });
            report.started += 1;
            deliveries.push({ ...delivery, status: 'started', executionId });
          } catch (error) {
            if (!isPermanentError(error)) throw error;
            report.failed += 1;
            logger.warn({ err: error, eventId: event.id, workflow: workflow.name }, 'event could not start its workflow');
            deliveries.push({ ...delivery, status: 'failed', error: toRecordedError(error) });
          }
          continue;
        default:
          return assertNever(decision, 'trigger decision');
      }
    }
    return deliveries;
  }

  function backingOff(now: number): string[] {
    const ids: string[] = [];
    for (const [id, entry] of backoff) {
      if (entry.retryAt > now) ids.push(id);
      // Long past its retry and not seen failing again: another dispatcher delivered it.
      else if (entry.retryAt < now - 2 * MAX_RETRY_DELAY_MS) backoff.delete(id);
    }
    return ids;
  }

  function noteFailure(id: string, error: unknown): void {
    const failures = (backoff.get(id)?.failures ?? 0) + 1;
    const delay = Math.min(MAX_RETRY_DELAY_MS, options.retryDelayMs * 2 ** (failures - 1));
    backoff.set(id, { failures, retryAt: clock.now().getTime() + delay });
    logger.warn({ err: error, eventId: id, failures, retryInMs: delay }, 'event delivery failed; it will be retried');
  }

  /**
   * One batch: claim events (locked in this transaction), read the workflows they trigger once per
   * (tenant, event name), start the triggered runs of several events at once, then — in event order,
   * so that two events matching one wait resolve it in the order they happened — resume the waits each
   * matches, and record the deliveries and mark the events dispatched in the claim's commit. An event
   * whose delivery failed in a way that may pass is left undispatched and retried with backoff.
   */
  async function dispatchBatch(report: DispatchReport): Promise<void> {
    const dispatched = await withTransaction(pool, async (db) => {
      const events = await claimEvents(db, options.batchSize, backingOff(clock.now().getTime()));
      const triggered = new Map<string, TriggeredWorkflow[]>();
      const keyOf = (event: DomainEventRow) => `${event.tenantId}\u0000${event.name}`;
      for (const event of events) {
        if (!triggered.has(keyOf(event))) triggered.set(keyOf(event), await triggeredWorkflows(db, event.tenantId, event.name));
      }
      const starts = await mapConcurrently(events, options.startConcurrency, (event) =>
        startTriggered(event, triggered.get(keyOf(event)) ?? [], report),
      );
      const done: string[] = [];
      for (const [index, event] of events.entries()) {
        const started = starts[index]!;
        try {
          if (started.kind === 'failed') throw started.error;
          report.resumed += await engine.deliverEvent({ tenantId: event.tenantId, name: event.name, payload: event.payload, id: event.id });
          for (const delivery of started.value) await recordDelivery(db, delivery);
          done.push(event.id);
          backoff.delete(event.id);
        } catch (error) {
          report.retrying += 1;
          noteFailure(event.id, error);
        }
      }
      await markDispatched(db, done);
      return { claimed: events.length, delivered: events.filter((event) => done.includes(event.id)) };
    });
    report.events += dispatched.claimed;
    const now = clock.now().getTime();
    for (const event of dispatched.delivered) deps.observer?.eventDispatched({ seconds: (now - event.occurredAt.getTime()) / 1000 });
  }

  async function runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { events: 0, started: 0, resumed: 0, failed: 0, retrying: 0, lookbacks: 0 };
    await dispatchBatch(report);
    const lookbacks = await processLookbacks(pool, options.batchSize, logger);
    report.lookbacks = lookbacks.taken;
    // A wait resumed here made its run runnable: the workers are told once that committed.
    if (lookbacks.resumed > 0) deps.wakeWorkers?.();
    return report;
  }

  // ── the loop ─────────────────────────────────────────────────────────────────────────────────────
  let unlisten: (() => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let lastFailure: string | undefined;

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const report = await runOnce();
          // A full batch: there is probably more.
          if (report.events - report.retrying >= options.batchSize || report.lookbacks >= options.batchSize) again = true;
          lastFailure = undefined;
        } catch (error) {
          lastFailure = coerceError(error).message;
          logger.warn({ err: error }, 'event dispatch pass failed');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
  }

  return {
    runOnce,
    health: () => healthAfter(lastFailure),
    async start() {
      if (timer || stopped) return;
      timer = setInterval(kick, options.pollIntervalMs);
      kick();
      if (deps.wakeups) {
        unlisten = await listenForWakeups(deps.wakeups, DISPATCH_WAKEUP_TOPIC, kick, logger);
        if (stopped) await unlisten();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten?.();
      await running;
    },
  };
}
