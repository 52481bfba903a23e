// Types of fault-actions.mjs.
import type { FaultCluster } from './fault-cluster.mjs';

export interface SigtermOutcome {
  name: string;
  /** Runs it held when signalled. */
  held: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** From when it heard the signal (its handler's line; else from the signal) to its exit. */
  exitMs: number;
  /** From the signal to its handler's line; undefined: never printed. */
  heardMs: number | undefined;
  /** Leases it took after the signal (new runs, or parked runs resumed). */
  intake: number;
  /** From its exit until every run it held went on elsewhere; undefined: not within lease + 3 s. */
  handoverMs: number | undefined;
  handoverWaitedMs: number;
}

export const FAULTS: {
  redis(cluster: FaultCluster, options?: { redisDownMs?: number }): Promise<{ downMs: number }>;
  postgres(cluster: FaultCluster): Promise<{ downMs: number }>;
  terminate(cluster: FaultCluster, options?: { times?: number; gapMs?: number }): Promise<{ terminated: number[] }>;
  sigterm(cluster: FaultCluster): Promise<SigtermOutcome>;
  sigkill(cluster: FaultCluster): Promise<{ name: string; pid: number; held: number; killedAt: number }>;
};

export function processProblems(cluster: FaultCluster, since: number): string[];
export function superviseOnce(cluster: FaultCluster): Promise<string[]>;
export function idleWorkers(cluster: FaultCluster, timeoutMs: number): Promise<string[]>;
export function leasesOfPid(cluster: FaultCluster, pid: number): Promise<string[]>;
