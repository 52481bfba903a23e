import type { AbortSource } from '../store/service-calls.js';

/**
 * An attempt's abort (its timeout, the run's cancel or lost lease raise it), whose AbortSignal is made
 * only when something asks for it: most attempts end without anyone listening (a transform, a service
 * method that does no I/O), and an AbortController per attempt was ~5 % of a worker's CPU in
 * bench:engine's profile on Node 20. Raised before anyone asked, the signal is made already aborted.
 */
export class AttemptAbort implements AbortSource {
  private controller: AbortController | undefined;
  private raised: { reason: unknown } | undefined;

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
