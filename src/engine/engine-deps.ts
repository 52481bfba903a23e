import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { ServiceRegistry } from '../services/registry.js';
import type { Clock, EngineObserver, EventPublisher, RunTracer } from './ports.js';
import type { ExecutorDeps } from './runtime/executor-deps.js';
import type { EngineOrm } from './store/transactions.js';
import type { SystemSchedule } from './triggers/system-schedules.js';
import type { WakeupSource } from './wakeups.js';

/** What the engine is built from (main.ts supplies it) and how it is tuned. */

export interface EngineConfig {
  /** A worker that stops renewing its lease (crashed, partitioned) loses its executions after this. */
  leaseSeconds: number;
  /** Waits shorter than this are slept through by the worker; longer ones release it. */
  inProcessWaitMs: number;
  /**
   * How long one attempt of a service_call step without its own `timeoutSeconds` may take, in seconds
   * (0: no limit). Past it the attempt fails with the retryable TIMEOUT a step's own timeout gives, so a
   * call that never answers cannot hold its run (its lease renewed all the while) forever.
   */
  defaultStepTimeoutSeconds: number;
  /**
   * Runs started in a process whose worker has room are inserted already leased to it and run at once,
   * without waiting for a claim (should the process die, its lease expires and recovery releases
   * them). Off: every start waits, due, for any worker to claim it.
   */
  runStartsLocally: boolean;
  workerId?: string;
  /** At most this many top-level runs of one tenant in progress at once (undefined: no limit); the rest wait queued. */
  tenantConcurrencyLimit?: number | undefined;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  leaseSeconds: 20,
  inProcessWaitMs: 2_000,
  defaultStepTimeoutSeconds: 300,
  runStartsLocally: true,
};

export interface EngineDeps {
  /** Domain services work through it; only engine/store uses it. */
  orm: EngineOrm;
  /** Raw connections for the runtime's hot path (MikroORM keeps its own pool for domain work). */
  pool: pg.Pool;
  publisher: EventPublisher;
  /** Where event dispatchers and workers hear commits' wake-ups (the process's pub/sub); without it they only poll. */
  wakeups?: WakeupSource;
  services: ServiceRegistry;
  logger: Logger;
  clock?: Clock;
  config?: Partial<EngineConfig>;
  /** Told of runs and steps starting and ending, and of checkpoints (metrics); default: nobody. */
  observer?: EngineObserver;
  /** Spans of runs and steps (OpenTelemetry, in src/observability); absent when tracing is off. */
  tracer?: RunTracer;
  /** Fault injection for crash tests (see ProbePoint). */
  probe?: ExecutorDeps['probe'];
  /** Code the schedulers run at cron ticks, such as a domain's daily scans; default: none. */
  systemSchedules?: readonly SystemSchedule[];
}
