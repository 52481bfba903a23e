/** What the engine needs from outside, supplied by the composition root. */
export interface EventPublisher {
  publish(topic: string, payload: unknown): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** How a step's attempt ended, as the observer hears it. */
export type StepEnd = 'completed' | 'failed' | 'retrying' | 'skipped';

/**
 * What the engine reports as it runs, for metrics (and traces and logs to come). Labels are bounded:
 * workflow names, step types, statuses, error codes — never execution ids. Calls are cheap and never
 * throw; the default observer does nothing.
 */
export interface EngineObserver {
  /** A run began (its first claim or local start). */
  executionStarted(run: { workflow: string; trigger: string }): void;
  /** A worker took over a run whose previous holder's lease expired. */
  leaseTakenOver(run: { workflow: string }): void;
  /** A run ended; `seconds` from its start. */
  executionFinished(run: { workflow: string; status: 'completed' | 'failed' | 'cancelled'; seconds: number | undefined }): void;
  /** An attempt of a step began. */
  stepStarted(step: { workflow: string; type: string }): void;
  /** An attempt of a step ended; `seconds` from the attempt's start. */
  stepEnded(step: { workflow: string; type: string; end: StepEnd; code: string | undefined; seconds: number | undefined }): void;
  /** A group-committed checkpoint statement. */
  checkpointCommitted(statement: { checkpoints: number; seconds: number }): void;
}

export const silentObserver: EngineObserver = {
  executionStarted: () => undefined,
  leaseTakenOver: () => undefined,
  executionFinished: () => undefined,
  stepStarted: () => undefined,
  stepEnded: () => undefined,
  checkpointCommitted: () => undefined,
};
