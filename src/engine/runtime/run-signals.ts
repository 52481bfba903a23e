import type { Logger } from '../../logger.js';
import type { Clock } from '../ports.js';
import type { CheckpointResult } from './checkpoint-writer.js';
import type { RunLease } from './run-lease.js';
import type { ExecutionState } from './state.js';

/**
 * What a run's loop hears between its decisions: signals (a cancel, a pause, an event, a child's end:
 * `signal_seq` moved) brought back by a lease renewal or a checkpoint, a lost lease, and — while it
 * waits — a step in flight settling or a time passing.
 */
export class RunSignals {
  /** A signal arrived since the loop last looked. */
  signalled = false;
  /** Another worker has the run: the loop stops without writing. */
  leaseLost = false;
  /** How many of the run's step attempts have settled. */
  private settled = 0;
  private wakeUp: () => void = () => undefined;

  constructor(
    private seq: number,
    private readonly deps: { clock: Clock; logger: Logger },
    private readonly lease: Pick<RunLease, 'renew' | 'executionId'>,
    private readonly state: ExecutionState,
    /** Aborts the run's steps when the lease is lost. */
    private readonly abort: { abort(): void },
  ) {}

  /** The last `signal_seq` seen: a park is refused when a signal came after it. */
  get signalSeq(): number {
    return this.seq;
  }

  /** Extends the lease; notices signals (cancel, pause, events, children) and a lost lease (false). */
  async renew(): Promise<boolean> {
    try {
      const news = await this.lease.renew();
      if (!news) {
        this.leaseLost = true;
        this.abort.abort();
        this.wake();
        return false;
      }
      this.state.cancelRequested = news.cancelRequested;
      this.state.pauseRequested = news.pauseRequested;
      if (news.signalSeq !== this.seq) {
        this.seq = news.signalSeq;
        this.signalled = true;
        this.wake();
      }
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, executionId: this.lease.executionId }, 'lease renewal failed');
      return true;
    }
  }

  /** Renews the lease every third of it (at most every 250 ms) until the returned function is called. */
  heartbeat(leaseSeconds: number): () => void {
    const timer = setInterval(() => void this.renew(), Math.max(250, (leaseSeconds * 1000) / 3));
    return () => clearInterval(timer);
  }

  /** Told what a checkpoint brought back. */
  note(result: CheckpointResult): void {
    if (result.signalSeq !== this.seq) {
      this.seq = result.signalSeq;
      this.signalled = true;
    }
  }

  /** Ends the loop's wait, if it is waiting. */
  wake(): void {
    this.wakeUp();
  }

  /** Told that a step's attempt settled (what it came to is recorded): ends the loop's wait. */
  stepSettled(): void {
    this.settled++;
    this.wake();
  }

  /** How many step attempts have settled so far: a wait given this count ends when one more has. */
  get stepsSettled(): number {
    return this.settled;
  }

  /**
   * Resolves when a step attempt settles after `settledBefore` of them had (at once if one already
   * has), `wake()` is called, or `until` passes: false for `until`. One promise and at most one timer
   * (the loop waits about once per step, and each promise counted in its profile).
   */
  wait(until: Date | undefined, settledBefore = this.settled): Promise<boolean> {
    if (this.settled !== settledBefore) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const end = (woken: boolean) => {
        clearTimeout(timer);
        this.wakeUp = () => undefined;
        resolve(woken);
      };
      this.wakeUp = () => end(true);
      if (until) timer = setTimeout(() => end(false), Math.max(0, until.getTime() - this.deps.clock.now().getTime()));
    });
  }
}
