import type { JsonValue, RecordedError } from '../../entities/json.js';
import type { Checkpoint, CheckpointResult, CheckpointWriter, EventRecord, WaitRecord } from './checkpoint-writer.js';
import type { ExecutionState, StepState } from './state.js';
import type { PendingAdmission } from './admission.js';

/**
 * One run's changes not yet committed: step rows (the latest state of each), events in order, event
 * waits to register. Recording updates the run's state at once; a flush commits what is pending as one
 * checkpoint (group-committed with other runs'). One checkpoint of a run at a time, so its events keep
 * their order.
 */
export class CheckpointBuffer {
  private steps = new Map<string, StepState>();
  private events: EventRecord[] = [];
  private waits: WaitRecord[] = [];
  /** Settles once the checkpoints being written have; `writing` counts them. */
  private lock: Promise<unknown> = Promise.resolve();
  private writing = 0;
  /** Outcomes recorded but not yet checkpointed (starts alone do not count). */
  outcomesPending = false;

  constructor(
    private readonly run: { executionId: string; tenantId: string; epoch: number; state: ExecutionState },
    private readonly writer: CheckpointWriter,
    /** Told what each committed checkpoint brought back (the run's signal counter). */
    private readonly onCommitted: (result: CheckpointResult) => void,
    /** A run started here whose insert is not committed yet (admission.ts). */
    private readonly admission?: PendingAdmission,
  ) {}

  /** Updates the run's state and queues the change for the next checkpoint. */
  record(step: StepState, event?: EventRecord): void {
    this.run.state.steps.set(step.key, step);
    this.queue(step, event);
  }

  /** Queues a change for the next checkpoint without touching the run's state (until it commits). */
  queue(step: StepState, event?: EventRecord): void {
    this.steps.set(step.key, step);
    if (event) this.events.push(event);
  }

  registerWait(wait: WaitRecord): void {
    this.waits.push(wait);
  }

  hasPending(): boolean {
    return this.steps.size > 0 || this.events.length > 0 || this.waits.length > 0;
  }

  /** Everything pending, as one checkpoint, leaving nothing pending. */
  take(): Checkpoint {
    this.outcomesPending = false;
    const checkpoint: Checkpoint = {
      executionId: this.run.executionId,
      tenantId: this.run.tenantId,
      epoch: this.run.epoch,
      steps: [...this.steps.values()],
      events: this.events,
      waits: this.waits,
    };
    this.steps = new Map();
    this.events = [];
    this.waits = [];
    return checkpoint;
  }

  /** Runs `fn` when no other checkpoint of this run is being written (at once when none is). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writing === 0 ? fn() : this.lock.then(fn, fn);
    this.writing++;
    const written = () => {
      this.writing--;
    };
    this.lock = next.then(written, written);
    return next;
  }

  /** Commits what is pending (nothing when nothing is). */
  flush(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.hasPending()) return;
      this.onCommitted(await this.commit(this.take()));
    });
  }

  /** With the run's insert if it can ride there, else once the run is recorded. */
  private commit(checkpoint: Checkpoint): Promise<CheckpointResult> {
    const admission = this.admission;
    if (!admission?.pending) return this.writer.write(checkpoint);
    return admission.ride(checkpoint) ?? admission.admitted.then(() => this.writer.write(checkpoint));
  }

  /** Commits what is pending with the run's end: its final status, its result or error, `execution.<status>`. */
  writeEnd(status: 'completed' | 'failed' | 'cancelled', outcome: { result?: JsonValue; error?: RecordedError }): Promise<void> {
    return this.exclusive(async () => {
      const checkpoint = this.take();
      checkpoint.execution = { status, terminal: true, ...outcome };
      checkpoint.events.push({ type: `execution.${status}`, payload: { status, ...(outcome.error ? { error: outcome.error } : {}) } });
      await this.commit(checkpoint);
    });
  }
}
