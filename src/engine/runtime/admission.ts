import type { Checkpoint, CheckpointResult } from '../store/checkpoints.js';
import type { ServiceRegistry } from '../../services/registry.js';
import type { StepDefinition } from '../definition/step-types.js';
import { LeaseLostError } from './errors.js';

/**
 * A run started in this process goes on while its insert is being committed: its first steps run if they
 * have no effects (runsBeforeAdmission), and its first checkpoint rides in the insert's statement when it
 * is ready before that statement is sent — the run's first step costs no commit of its own. Anything else
 * (a step with effects, a timer, the run's end) waits until the insert has committed. Should the insert
 * not record the run leased here (an idempotency key already used, a stale version, a suspended tenant,
 * a failure), the run ends quietly and what it did is dropped: it only ran steps without effects.
 */
export class PendingAdmission {
  /** Settles when the insert has committed the run leased here; rejects (LeaseLostError) when it did not. */
  readonly admitted: Promise<void>;
  /** The insert did not record the run leased here. */
  refused = false;
  private settled = false;
  private sent = false;
  private rider: { checkpoint: Checkpoint; resolve(result: CheckpointResult): void; reject(error: unknown): void } | undefined;
  private resolveAdmitted!: () => void;
  private rejectAdmitted!: (error: unknown) => void;

  constructor(
    readonly executionId: string,
    /** Publishes a committed checkpoint's events (the writer's publish). */
    private readonly publish: (checkpoint: Checkpoint, result: CheckpointResult) => void,
  ) {
    this.admitted = new Promise<void>((resolve, reject) => {
      this.resolveAdmitted = resolve;
      this.rejectAdmitted = reject;
    });
    this.admitted.catch(() => undefined); // whoever awaits it sees the refusal
  }

  get pending(): boolean {
    return !this.settled;
  }

  /**
   * Commits `checkpoint` with the insert, if that statement has not been sent yet and the checkpoint
   * only adds steps and events (no status change, no event wait); undefined otherwise.
   */
  ride(checkpoint: Checkpoint): Promise<CheckpointResult> | undefined {
    if (this.settled || this.sent || this.rider || checkpoint.execution || checkpoint.waits.length > 0) return undefined;
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.rider = { checkpoint, resolve, reject };
    });
  }

  /** The insert's statement is being sent (again, after a failed batch): what rides with it. */
  take(): Checkpoint | undefined {
    this.sent = true;
    return this.rider?.checkpoint;
  }

  /** The insert committed the run leased here (the start has announced it): the rider's events follow. */
  admit(): void {
    if (this.settled) return;
    this.settled = true;
    const rider = this.rider;
    if (rider) {
      const result: CheckpointResult = { lastEventSeq: 2 + rider.checkpoint.events.length, signalSeq: 0 };
      this.publish(rider.checkpoint, result);
      rider.resolve(result);
    }
    this.resolveAdmitted();
  }

  /** The run was not recorded leased here: it stops. */
  refuse(): void {
    if (this.settled) return;
    this.settled = true;
    this.refused = true;
    const refused = new LeaseLostError(this.executionId);
    this.rider?.reject(refused);
    this.rejectAdmitted(refused);
  }
}

/**
 * Steps a run may take before its insert has committed: those without effects. Were the run not recorded
 * after all, nothing of theirs remains; any other step waits for the commit.
 */
export function runsBeforeAdmission(step: StepDefinition, services: ServiceRegistry): boolean {
  if (step.type === 'transform') return true;
  return step.type === 'service_call' && services.resolve(step.service, step.method)?.effects === 'none';
}
