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
  private wakeUp: () => void = () => undefined;

  constructor(
    private seq: number,
    private readonly deps: { clock: Clock; logger: Logger },
    private readonly lease: RunLease,
    private readonly state: ExecutionState,
    /** Aborts the run's steps when the lease is lost. */
    private readonly abort: AbortController,
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

  /** Resolves when one of `running` settles, `wake()` is called, or `until` passes: false for `until`. */
  async wait(until: Date | undefined, running: readonly Promise<unknown>[]): Promise<boolean> {
    const waits: Promise<boolean>[] = running.map((step) =>
      step.then(
        () => true,
        () => true,
      ),
    );
    waits.push(new Promise<boolean>((resolve) => (this.wakeUp = () => resolve(true))));
    let timer: NodeJS.Timeout | undefined;
    if (until)
      waits.push(
        new Promise<boolean>(
          (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, until.getTime() - this.deps.clock.now().getTime()))),
        ),
      );
    try {
      return await Promise.race(waits);
    } finally {
      clearTimeout(timer);
      this.wakeUp = () => undefined;
    }
  }
}
