import { tenantExecutionsFeed, type Engine, type ExecutionEventMessage, type WorkflowStatsRecord } from '../engine/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub.js';
import { filterChanges } from './progress-stream.js';

/**
 * `workflowStatsChanged`: a workflow's stats pushed as its runs are queued, start, park and finish, at most
 * once per interval per workflow in this process, however many subscribe. One entry per followed workflow
 * listens to its tenant's execution-level events (the Redis fan-out every API node gets), and each burst of
 * changes costs one stats query, shared by every subscriber of that workflow.
 */

export const STATS_PUSH_INTERVAL_MS = 1_000;

/** Time for coalescing, injected so tests move it instead of sleeping. */
export interface PushTimer {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Runs `task` after `ms`; the function returned cancels it. */
  after(ms: number, task: () => void): () => void;
}

export const systemPushTimer: PushTimer = {
  now: () => performance.now(),
  after(ms, task) {
    const handle = setTimeout(task, ms);
    return () => clearTimeout(handle);
  },
};

export interface Coalescer {
  /** Something changed: flush now if the last flush is an interval old, else once at the interval's end. */
  poke(): void;
  stop(): void;
}

/**
 * At most one `flush` per `intervalMs`, never two at once, and none lost: a poke while a flush runs
 * schedules the next one. The creation counts as a flush (the subscriber's first snapshot).
 */
export function coalesce(intervalMs: number, timer: PushTimer, flush: () => Promise<void>): Coalescer {
  let last = timer.now();
  let cancel: (() => void) | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const fire = () => {
    cancel = undefined;
    last = timer.now();
    running = running.then(flush);
  };
  return {
    poke() {
      if (stopped || cancel) return;
      const wait = last + intervalMs - timer.now();
      if (wait <= 0) fire();
      else cancel = timer.after(wait, fire);
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}

/** A subscriber's feed: only the newest stats wait for a slow reader (each is a whole snapshot). */
interface Mailbox extends AsyncIterableIterator<WorkflowStatsRecord> {
  offer(stats: WorkflowStatsRecord): void;
  /** Whether anything was offered yet. */
  readonly offered: boolean;
  end(): void;
}

function mailbox(onReturn: () => void): Mailbox {
  let held: WorkflowStatsRecord | undefined;
  let waiting: ((result: IteratorResult<WorkflowStatsRecord>) => void) | undefined;
  let ended = false;
  let offered = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    held = undefined;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
  };
  const box: Mailbox = {
    get offered() {
      return offered;
    },
    offer(stats) {
      if (ended) return;
      offered = true;
      if (waiting) {
        waiting({ done: false, value: stats });
        waiting = undefined;
      } else held = stats;
    },
    end: finish,
    next() {
      if (held) {
        const value = held;
        held = undefined;
        return Promise.resolve({ done: false, value });
      }
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      onReturn();
      return Promise.resolve({ done: true, value: undefined });
    },
    throw(error?: unknown) {
      finish();
      onReturn();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return box;
    },
  };
  return box;
}

export interface WorkflowStatsHub {
  /**
   * One workflow's stats: the current ones first (sent once this process listens for its runs' changes,
   * so nothing after them is missed), then again after changes, at most once per interval.
   */
  follow(tenantId: string, workflowId: string): Promise<AsyncIterableIterator<WorkflowStatsRecord>>;
  /** At shutdown: every subscription completes and nothing more is read. */
  close(): void;
}

interface Entry {
  readonly subscribers: Set<Mailbox>;
  readonly ready: Promise<void>;
  close(): void;
}

export function createWorkflowStatsHub(deps: {
  engine: Pick<Engine, 'reads'>;
  pubsub: PubSub;
  logger: Logger;
  timer?: PushTimer;
  intervalMs?: number;
}): WorkflowStatsHub {
  const { engine, pubsub, logger } = deps;
  const timer = deps.timer ?? systemPushTimer;
  const intervalMs = deps.intervalMs ?? STATS_PUSH_INTERVAL_MS;
  const entries = new Map<string, Entry>();

  const statsOf = async (tenantId: string, workflowId: string): Promise<WorkflowStatsRecord> => {
    const [stats] = await engine.reads(tenantId).statsOf([workflowId], {});
    if (!stats) throw new Error(`no stats for workflow ${workflowId}`);
    return stats;
  };

  function open(key: string, tenantId: string, workflowId: string): Entry {
    const subscribers = new Set<Mailbox>();
    let closed = false;
    let changes: AsyncIterableIterator<unknown> | undefined;
    const pushes = coalesce(intervalMs, timer, async () => {
      if (subscribers.size === 0) return;
      try {
        const stats = await statsOf(tenantId, workflowId);
        for (const subscriber of subscribers) subscriber.offer(stats);
      } catch (error) {
        // The next change (or resync) tries again; a dashboard keeps its last figures meanwhile.
        logger.warn({ err: error, workflowId }, 'reading workflow stats for subscribers failed');
      }
    });
    // After a gap in the live feed (Redis was away) changes may have been missed: the stats are read again.
    const offResync = pubsub.onResync(() => pushes.poke());
    const close = () => {
      if (closed) return;
      closed = true;
      entries.delete(key);
      pushes.stop();
      offResync();
      for (const subscriber of subscribers) subscriber.end();
      void changes?.return?.();
    };
    const ready = (async () => {
      const live: AsyncIterableIterator<ExecutionEventMessage> = await tenantExecutionsFeed(pubsub, tenantId);
      const reads = engine.reads(tenantId);
      changes = filterChanges(
        live,
        { workflowId },
        async (executionId) => (await reads.executionsByIds([executionId]))[0]?.workflowId,
        (error) => logger.warn({ err: error, workflowId }, 'looking up the workflow of a changed execution failed'),
      );
      if (closed) {
        await changes.return?.();
        return;
      }
      const feed = changes;
      void (async () => {
        try {
          for await (const _change of feed) pushes.poke();
        } catch (error) {
          logger.warn({ err: error, workflowId }, 'the live feed of workflow stats failed');
        }
        // The feed ended (pub/sub closing): its subscribers complete and may subscribe again.
        close();
      })();
    })();
    const entry: Entry = { subscribers, ready, close };
    ready.catch(close);
    entries.set(key, entry);
    return entry;
  }

  return {
    async follow(tenantId, workflowId) {
      const key = `${tenantId}:${workflowId}`;
      const entry = entries.get(key) ?? open(key, tenantId, workflowId);
      const subscriber = mailbox(() => {
        entry.subscribers.delete(subscriber);
        if (entry.subscribers.size === 0) entry.close();
      });
      entry.subscribers.add(subscriber);
      try {
        await entry.ready;
        const stats = await statsOf(tenantId, workflowId);
        // A push that came first is at least as new.
        if (!subscriber.offered) subscriber.offer(stats);
      } catch (error) {
        await subscriber.return?.();
        throw error;
      }
      return subscriber;
    },
    close() {
      for (const entry of [...entries.values()]) entry.close();
    },
  };
}
