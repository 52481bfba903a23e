/** bench:engine's sizes, read from the environment by the benchmark and by each Switchyard run's process. */
export const N = Number(process.env['N'] ?? 2_000);
export const IN_FLIGHT = Number(process.env['IN_FLIGHT'] ?? 50);
export const WARMUP = Math.min(500, Math.ceil(N / 4));
export const STEPS = 6;

/** Switchyard as run to price its observability: bare, with Prometheus metrics, or with OpenTelemetry traces. */
export const VARIANTS = ['off', 'metrics', 'tracing'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Result {
  name: string;
  steps: number;
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** What a Switchyard run's process answers: its figures, and for `tracing` what the receiver took in. */
export interface VariantResult extends Result {
  variant: Variant;
  /** CPU time of the run's process per measured workflow (ms): steadier than throughput on a shared machine. */
  cpuMsPerWorkflow: number;
  exported?: { spans: number; bytes: number; count: number };
}
