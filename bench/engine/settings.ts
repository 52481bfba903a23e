/** bench:engine's sizes, read from the environment by the benchmark and by each Switchyard run's process. */
export const N = Number(process.env['N'] ?? 2_000);
export const IN_FLIGHT = Number(process.env['IN_FLIGHT'] ?? 50);
/** The `wide` variant's runs in flight (issue 15: throughput must not fall as concurrency grows). */
export const WIDE_IN_FLIGHT = Number(process.env['WIDE_IN_FLIGHT'] ?? 500);
export const WARMUP = Math.min(500, Math.ceil(N / 4));
export const STEPS = 6;

/**
 * Switchyard as each run of it is put together: `off`, `metrics` and `tracing` price its observability
 * (one process, IN_FLIGHT runs at once); `wide` is `off` with WIDE_IN_FLIGHT at once; `workers1` and
 * `workers2` start the runs in one process and run them in one or two worker processes of their own.
 */
export const VARIANTS = ['off', 'metrics', 'tracing', 'wide', 'workers1', 'workers2'] as const;
export type Variant = (typeof VARIANTS)[number];
/** What a round runs, each in a process of its own: Switchyard's variants, and DBOS Transact to compare with. */
export type Contender = Variant | 'dbos';

export interface Shape {
  name: string;
  inFlight: number;
  /** 0: the worker runs in the process that starts the runs. */
  workerProcesses: number;
}

export function shapeOf(variant: Variant): Shape {
  switch (variant) {
    case 'off':
      return { name: 'Switchyard', inFlight: IN_FLIGHT, workerProcesses: 0 };
    case 'metrics':
      return { name: 'Switchyard + metrics', inFlight: IN_FLIGHT, workerProcesses: 0 };
    case 'tracing':
      return { name: 'Switchyard + tracing', inFlight: IN_FLIGHT, workerProcesses: 0 };
    case 'wide':
      return { name: `Switchyard, ${WIDE_IN_FLIGHT} in flight`, inFlight: WIDE_IN_FLIGHT, workerProcesses: 0 };
    case 'workers1':
      return { name: 'Switchyard, 1 worker process', inFlight: IN_FLIGHT, workerProcesses: 1 };
    case 'workers2':
      return { name: 'Switchyard, 2 worker processes', inFlight: IN_FLIGHT, workerProcesses: 2 };
    default: {
      const unknown: never = variant;
      throw new Error(`unknown variant ${String(unknown)}`);
    }
  }
}

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
  variant: Contender;
  /**
   * CPU time per measured workflow (ms) of the run's process and of its worker processes: steadier than
   * throughput on a shared machine.
   */
  cpuMsPerWorkflow: number;
  /** The whole machine's CPU time per measured workflow (ms): the database's and every other process's too. */
  machineCpuMsPerWorkflow: number;
  /** With worker processes, each one's CPU time per measured workflow (ms), in cpuMsPerWorkflow too. */
  workersCpuMsPerWorkflow?: number[];
  exported?: { spans: number; bytes: number; count: number };
}
