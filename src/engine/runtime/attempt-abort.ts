import type { AbortSource } from '../store/service-calls.js';

/**
 * An attempt's abort (its timeout, the run's cancel or lost lease raise it), or a run's (which raises
 * its attempts'), whose AbortSignal is made only when something asks for it: most attempts end without
 * anyone listening (a transform, a service method that does no I/O), and an AbortController per
 * attempt was ~5 % of a worker's CPU in bench:engine's profile on Node 20 (a run's signal, made for its
 * attempts' sake, still 1.3 %). Raised before anyone asked, the signal is made already aborted.
 */
export class AttemptAbort implements AbortSource {
  private controller: AbortController | undefined;
  private raised: { reason: unknown } | undefined;
  private listener: (() => void) | undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.raised) this.controller.abort(this.raised.reason);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.raised !== undefined;
  }

  abort(reason?: unknown): void {
    if (this.raised) return;
    this.raised = { reason };
    this.controller?.abort(reason);
    this.listener?.();
  }

  /** Calls `listener` when raised (once): the one in-process listener, without making a signal. */
  onAbort(listener: () => void): void {
    if (this.listener) throw new Error('an abort has one in-process listener');
    this.listener = listener;
  }
}

/** An AbortSignal made elsewhere, as an AbortSource. */
export function signalSource(signal: AbortSignal): AbortSource {
  return {
    signal,
    get aborted() {
      return signal.aborted;
    },
  };
}
