import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineObserver } from '../engine/ports.js';
import type { Logger } from '../logger.js';
import { UNFINISHED_EXECUTION_STATUSES } from '../entities/statuses.js';

/**
 * Switchyard's Prometheus metrics: the process defaults and the engine's own, with bounded labels
 * (workflow name, step type, status, error code, trigger type). One registry per process; the engine
 * reports through the EngineObserver port, so it never imports prom-client. `tenantLabels`
 * (METRICS_TENANT_LABELS=true) adds the tenant id as `tenant` to the metrics of runs and steps: one
 * series per tenant, for deployments with few tenants that bill or alert per tenant.
 */

/** Durations of steps and runs: milliseconds to hours. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32];
/** The run-count gauges are read from the database at most this often, whatever the scrape rate. */
const RUN_COUNTS_MAX_AGE_MS = 10_000;

export interface Metrics {
  readonly registry: Registry;
  /** The engine's reports, counted. */
  readonly observer: EngineObserver;
  /** An outbox delivery attempt, committed. */
  outboxDelivered(delivery: { kind: string; outcome: 'sent' | 'retrying' | 'failed' }): void;
  /** The websocket gauges, read from the server at each scrape. */
  watchWebsockets(read: () => { connections: number; subscriptions: number }): void;
  /** The Prometheus text format. */
  render(): Promise<string>;
  contentType: string;
}

/** Counts of live runs by status, and of those ready (due, unclaimed), read cheaply (a count of the live rows). */
export type RunCounts = () => Promise<Array<{ status: string; runs: number; ready: number }>>;
/** Outbox messages waiting to be delivered, by kind. */
export type OutboxBacklog = () => Promise<Array<{ kind: string; messages: number }>>;

/** A value read from the database for a gauge, at most every `RUN_COUNTS_MAX_AGE_MS` whatever the scrape rate. */
function cachedRead<T>(read: () => Promise<T>, logger: Logger, what: string): () => Promise<T | undefined> {
  let cached: { at: number; value: T } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > RUN_COUNTS_MAX_AGE_MS) {
      try {
        cached = { at: Date.now(), value: await read() };
      } catch (error) {
        logger.warn({ err: error }, `${what} for metrics could not be read`);
        return undefined;
      }
    }
    return cached.value;
  };
}

export function createMetrics(deps: {
  runCounts?: RunCounts;
  outboxBacklog?: OutboxBacklog;
  logger: Logger;
  defaults?: boolean;
  tenantLabels?: boolean;
}): Metrics {
  const registry = new Registry();
  const tenantLabels = deps.tenantLabels === true;
  /** The label names of a metric of runs or steps: with `tenant` when asked. */
  const perRun = <L extends string>(...names: L[]): Array<L | 'tenant'> => (tenantLabels ? [...names, 'tenant'] : names);
  /** The tenant label's value, when asked for. */
  const tenantOf = (run: { tenantId: string }): { tenant?: string } => (tenantLabels ? { tenant: run.tenantId } : {});
  // The defaults keep their standard names (process_cpu_seconds_total, nodejs_…): dashboards expect them.
  if (deps.defaults !== false) collectDefaultMetrics({ register: registry });

  const started = new Counter({
    name: 'switchyard_executions_started_total',
    help: 'Runs begun, by workflow and trigger type.',
    labelNames: perRun('workflow', 'trigger'),
    registers: [registry],
  });
  const finished = new Counter({
    name: 'switchyard_executions_finished_total',
    help: 'Runs ended, by workflow and final status.',
    labelNames: perRun('workflow', 'status'),
    registers: [registry],
  });
  const runSeconds = new Histogram({
    name: 'switchyard_execution_duration_seconds',
    help: "From a run's start to its end, by workflow and final status.",
    labelNames: perRun('workflow', 'status'),
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const queued = new Histogram({
    name: 'switchyard_run_schedule_to_start_seconds',
    help: 'How long a due run (new, woken by its timer or a signal, or released) waited for a worker to claim it, by workflow.',
    labelNames: perRun('workflow'),
    buckets: COMMIT_BUCKETS.concat([2.5, 5, 10, 30, 60]),
    registers: [registry],
  });
  const takeovers = new Counter({
    name: 'switchyard_lease_takeovers_total',
    help: 'Runs a worker took over from another: its lease expired (the worker died or stalled), or it was handed back at shutdown.',
    labelNames: perRun('workflow'),
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'switchyard_step_attempts_total',
    help: 'Step attempts begun, by workflow and step type.',
    labelNames: perRun('workflow', 'step_type'),
    registers: [registry],
  });
  const stepEnds = new Counter({
    name: 'switchyard_step_ends_total',
    help: 'Step attempts ended, by how (completed, failed, retrying, skipped) and error code.',
    labelNames: perRun('workflow', 'step_type', 'end', 'code'),
    registers: [registry],
  });
  const stepSeconds = new Histogram({
    name: 'switchyard_step_duration_seconds',
    help: 'One step attempt, from its start to its end.',
    labelNames: perRun('workflow', 'step_type', 'end'),
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const checkpoints = new Histogram({
    name: 'switchyard_checkpoint_batch_size',
    help: 'Checkpoints per group-committed statement.',
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'switchyard_checkpoint_commit_seconds',
    help: 'One group-committed checkpoint statement, sent to committed.',
    buckets: COMMIT_BUCKETS,
    registers: [registry],
  });

  const dispatchLag = new Histogram({
    name: 'switchyard_event_dispatch_lag_seconds',
    help: 'From a domain event being recorded to its delivery (its runs started, its waits resumed).',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const scheduleLag = new Histogram({
    name: 'switchyard_schedule_lag_seconds',
    help: "From a schedule's tick being due to its run started, by workflow.",
    labelNames: ['workflow'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

  if (deps.runCounts) {
    const runCounts = cachedRead(deps.runCounts, deps.logger, 'run counts');
    new Gauge({
      name: 'switchyard_runs',
      help: 'Runs not yet ended in the whole database, by status (queued, pending, running, waiting, paused); read at most every 10 s.',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = await runCounts();
        if (!rows) return;
        this.reset();
        for (const status of UNFINISHED_EXECUTION_STATUSES) this.set({ status }, rows.find((row) => row.status === status)?.runs ?? 0);
      },
    });
    new Gauge({
      name: 'switchyard_runs_ready',
      help: "Runs due and claimed by no worker in the whole database: the run queue's depth (new, woken, released); read at most every 10 s.",
      registers: [registry],
      async collect() {
        const rows = await runCounts();
        if (rows) this.set(rows.reduce((sum, row) => sum + row.ready, 0));
      },
    });
  }
  if (deps.outboxBacklog) {
    const backlog = cachedRead(deps.outboxBacklog, deps.logger, 'the outbox backlog');
    new Gauge({
      name: 'switchyard_outbox_pending',
      help: 'Outbox messages (e-mails, webhooks) waiting to be delivered in the whole database, by kind; read at most every 10 s.',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        const rows = await backlog();
        if (!rows) return;
        this.reset();
        for (const row of rows) this.set({ kind: row.kind }, row.messages);
      },
    });
  }
  const outboxDeliveries = new Counter({
    name: 'switchyard_outbox_deliveries_total',
    help: 'Outbox delivery attempts by kind and outcome (sent, retrying, failed for good).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });

  const observer: EngineObserver = {
    executionStarted: (run) => started.inc({ workflow: run.workflow, trigger: run.trigger, ...tenantOf(run) }),
    leaseTakenOver: (run) => takeovers.inc({ workflow: run.workflow, ...tenantOf(run) }),
    executionClaimed: (run) => queued.observe({ workflow: run.workflow, ...tenantOf(run) }, Math.max(0, run.seconds)),
    executionParked: () => undefined,
    executionResumed: () => undefined,
    stepCompensated: () => undefined,
    executionFinished(run) {
      const labels = { workflow: run.workflow, status: run.status, ...tenantOf(run) };
      finished.inc(labels);
      if (run.seconds !== undefined) runSeconds.observe(labels, run.seconds);
    },
    stepStarted: (step) => attempts.inc({ workflow: step.workflow, step_type: step.type, ...tenantOf(step) }),
    stepEnded(step) {
      const labels = { workflow: step.workflow, step_type: step.type, end: step.end, ...tenantOf(step) };
      stepEnds.inc({ ...labels, code: step.code ?? '' });
      if (step.seconds !== undefined) stepSeconds.observe(labels, step.seconds);
    },
    checkpointCommitted({ checkpoints: size, seconds }) {
      checkpoints.observe(size);
      commitSeconds.observe(seconds);
    },
    eventDispatched: ({ seconds }) => dispatchLag.observe(Math.max(0, seconds)),
    scheduleFired: ({ workflow, seconds }) => scheduleLag.observe({ workflow }, Math.max(0, seconds)),
  };

  let websockets: (() => { connections: number; subscriptions: number }) | undefined;
  new Gauge({
    name: 'switchyard_websocket_connections',
    help: 'Open websocket connections (GraphQL subscriptions) to this process.',
    registers: [registry],
    collect() {
      this.set(websockets?.().connections ?? 0);
    },
  });
  new Gauge({
    name: 'switchyard_subscriptions',
    help: 'GraphQL operations running over websockets on this process: subscriptions (a query or mutation sent over a socket counts while it runs).',
    registers: [registry],
    collect() {
      this.set(websockets?.().subscriptions ?? 0);
    },
  });

  return {
    registry,
    observer,
    outboxDelivered: ({ kind, outcome }) => outboxDeliveries.inc({ kind, outcome }),
    watchWebsockets: (read) => {
      websockets = read;
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
