// Types of fault-workload.mjs.
import type { FaultCluster } from './fault-cluster.mjs';

export const WORKFLOW: string;
export const EFFECT_STEPS: readonly string[];
export const DEFINITION: { steps: Record<string, unknown>[] };

export interface Run {
  key: string;
  id: string | undefined;
  startedAt: number;
  status: string | undefined;
  endedAt: number | undefined;
}

export interface Subscriber {
  id: string;
  sequences: number[];
  final: string | undefined;
  resubscribes: number;
  socketErrors: number;
  streamErrors: number;
  duplicates: number;
  lastError: string | undefined;
  api: string | undefined;
  done: Promise<void>;
}

export interface Load {
  readonly runs: Map<string, Run>;
  readonly subscribers: Subscriber[];
  readonly stats: { started: number; startAttempts: number; startErrors: number; lastStartError: string | undefined };
  ended(): number;
  openKeys(): string[];
  pending(): { starts: number; open: number; subscribers: number };
  settled(keys: string[], timeoutMs: number): Promise<boolean>;
  finish(timeoutMs: number): Promise<void>;
  abort(): Promise<void>;
}

export interface LoadSummary {
  runs: number;
  started: number;
  completed: number;
  failed: number;
  notStarted: number;
  duplicatedEffects: number;
  missingEffects: number;
  repeatedSteps: number;
  subscribers: number;
  subscribersFinished: number;
  resubscribes: number;
  duplicateEventsDropped: number;
  startErrors: number;
}

export function prepareWorkload(cluster: FaultCluster): Promise<{ token: string }>;
export function startLoad(
  cluster: FaultCluster,
  options: { token: string; inFlight?: number; subscribeEvery?: number; pollMs?: number },
): Load;
export function verifyLoad(cluster: FaultCluster, load: Load): Promise<{ summary: LoadSummary; problems: string[] }>;
