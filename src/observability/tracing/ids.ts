import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace';

/**
 * Span ids a run's segments can name without storing them: a segment's span id is derived from its
 * execution id and lease epoch (one per acquisition, so one per segment), which lets the next segment
 * link to the previous one in whatever process that ran. A run started without a caller's trace gets
 * its execution id (without dashes) as its trace id: every segment of it is in that one trace, and an
 * operator finds it by the run's id. Every other span gets random ids.
 */
export class SegmentIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private pending: { traceId: string; spanId: string } | undefined;

  generateTraceId(): string {
    return this.pending?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.pending?.spanId ?? this.random.generateSpanId();
  }

  /** Runs `start` (which starts one span, synchronously) with these ids; the trace id is used only for a root span. */
  with<T>(ids: { traceId: string; spanId: string }, start: () => T): T {
    this.pending = ids;
    try {
      return start();
    } finally {
      this.pending = undefined;
    }
  }
}
