import type { ExecutionEventMessage, ProgressSnapshot } from '../engine/index.js';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import { withFields } from '../infra/with-fields.js';

/** The events after which an execution's log has nothing more to say. */
export const TERMINAL_EVENTS: ReadonlySet<string> = new Set(['execution.completed', 'execution.failed', 'execution.cancelled']);

export interface ProgressStreamOptions {
  /** Already subscribed to the execution's topic: subscribing before reading the log is what closes the race. */
  live: AsyncIterableIterator<ExecutionEventMessage>;
  /** Reads the log after a sequence number (and the execution's status); undefined when it is not the viewer's. */
  read(after: number, first: number): Promise<ProgressSnapshot | undefined>;
  /** The last sequence number the client has seen. */
  after: number;
  /** Events read from the log at once. */
  pageSize?: number;
  /**
   * With no live message for this long, the log is read again: a lost notification costs latency,
   * never an event. Doubles while nothing happens, up to `maxIdlePollMs`.
   */
  idlePollMs?: number | undefined;
  maxIdlePollMs?: number;
  /** A failed read of the log (retried a few times before the stream gives up). */
  onReadError?: (error: unknown, attempt: number) => void;
  /** Waits between those retries; tests pass one that records the delay. Default: a timer. */
  pause?: (ms: number) => Promise<void>;
  /**
   * Registers a listener for the live feed coming back after a gap (`PubSub.onResync`); returns its
   * removal. On each, the log is read again at once instead of at the next idle poll.
   */
  onResync?: (listener: () => void) => () => void;
}

/** Delays before reading the log again after a failure; then the stream ends with an error. */
const READ_RETRY_DELAYS_MS = [100, 1_000, 5_000];

/**
 * What a subscriber is told when the log cannot be read: nothing internal (graphql-ws puts it in the
 * socket's close reason). Its events are safe in the log; it resubscribes from its last sequence.
 */
export class ProgressUnavailableError extends Error {
  constructor() {
    super('execution progress is unavailable for now; subscribe again with afterSequence set to the last sequence received');
    this.name = 'ProgressUnavailableError';
  }
}

/**
 * An execution's events after `after`, each exactly once and in order: first those already in the log,
 * then live ones. A live event at or below the last one sent is a duplicate and dropped; one beyond the
 * next expected means some were missed (or never published), and the log fills the gap. Completes
 * after the terminal event (a run retried after it goes on: the log shows more events after it). NOT_FOUND (with the live subscription released) when the execution is not
 * the viewer's.
 *
 * Hand-written rather than an async generator: `return()` must release the pub/sub subscription at
 * once, even while a `next()` waits for a live event.
 */
export async function openProgressStream(options: ProgressStreamOptions): Promise<AsyncIterableIterator<ExecutionEventMessage>> {
  const { live } = options;
  const pageSize = options.pageSize ?? 500;
  const minIdle = options.idlePollMs ?? 5_000;
  const pause = options.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Never below the first wait: a long idle poll set on purpose (SWITCHYARD_PROGRESS_IDLE_POLL_MS) is not shortened.
  const maxIdle = Math.max(options.maxIdlePollMs ?? 60_000, minIdle);
  // Set by a resync and cleared just before the log is read, so a resync during a read reads again.
  // Listening from before the first read: that read may predate the live feed being back.
  let resyncPending = false;
  let wake: (() => void) | undefined;
  const removeResyncListener = options.onResync?.(() => {
    resyncPending = true;
    wake?.();
  });

  let snapshot: ProgressSnapshot | undefined;
  try {
    snapshot = await options.read(options.after, pageSize);
  } catch (error) {
    removeResyncListener?.();
    await live.return?.();
    throw error;
  }
  if (!snapshot) {
    removeResyncListener?.();
    await live.return?.();
    throw new AppError('NOT_FOUND', 'no such execution');
  }

  let last = options.after;
  let buffer: ExecutionEventMessage[] = snapshot.events;
  let caughtUp = snapshot.events.length < pageSize;
  // A finished run whose last event the client has already seen: nothing will ever follow.
  let ending = EXECUTION_STATUSES[snapshot.status].terminal && caughtUp && snapshot.events.length === 0 && last >= snapshot.lastEventSeq;
  let closed = false;
  let pendingLive: Promise<IteratorResult<ExecutionEventMessage>> | undefined;
  let idleMs = minIdle;
  let idleTimer: NodeJS.Timeout | undefined;

  const close = async (): Promise<IteratorResult<ExecutionEventMessage>> => {
    closed = true;
    removeResyncListener?.();
    clearTimeout(idleTimer);
    buffer = [];
    await live.return?.();
    return { done: true, value: undefined };
  };

  /** Reads the log, retrying transient failures; the stream cannot go on without it. */
  const readLog = async (after: number): Promise<ProgressSnapshot | undefined> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await options.read(after, pageSize);
      } catch (error) {
        options.onReadError?.(error, attempt + 1);
        const delay = READ_RETRY_DELAYS_MS[attempt];
        if (delay === undefined || closed) throw new ProgressUnavailableError();
        await pause(delay);
      }
    }
  };

  /** The log after the last event sent, into the buffer. */
  const catchUp = async (): Promise<boolean> => {
    const page = await readLog(last);
    if (!page) return false;
    buffer = page.events;
    caughtUp = page.events.length < pageSize;
    return true;
  };

  /** The next live message, or 'idle' when none came for a while or the live feed had a gap. */
  const nextLive = async (): Promise<IteratorResult<ExecutionEventMessage> | 'idle'> => {
    pendingLive ??= live.next();
    const idle = new Promise<'idle'>((resolve) => {
      idleTimer = setTimeout(() => resolve('idle'), idleMs);
      idleTimer.unref();
      wake = () => resolve('idle');
    });
    try {
      const result = await Promise.race([pendingLive, idle]);
      if (result !== 'idle') pendingLive = undefined;
      return result;
    } finally {
      wake = undefined;
      clearTimeout(idleTimer);
    }
  };

  const iterator: AsyncIterableIterator<ExecutionEventMessage> = {
    async next(): Promise<IteratorResult<ExecutionEventMessage>> {
      for (;;) {
        if (closed) return { done: true, value: undefined };
        const buffered = buffer.shift();
        if (buffered) {
          if (buffered.seq <= last) continue;
          last = buffered.seq;
          // The end, unless the log goes on after it (the run was retried since).
          ending = TERMINAL_EVENTS.has(buffered.type);
          return { done: false, value: buffered };
        }
        if (ending && caughtUp) return close();
        if (resyncPending) {
          // The live feed had a gap (Redis was away): what was published meanwhile is in the log only.
          // Polling starts short again: a publisher whose own connection comes back later loses more.
          resyncPending = false;
          idleMs = minIdle;
          if (!(await catchUp())) return close();
          continue;
        }
        if (!caughtUp) {
          if (!(await catchUp())) return close();
          continue;
        }
        const result = await nextLive();
        if (closed) return { done: true, value: undefined };
        if (result === 'idle') {
          // Woken by a resync: the branch above reads the log.
          if (resyncPending) continue;
          idleMs = Math.min(idleMs * 2, maxIdle);
          if (!(await catchUp())) return close();
          continue;
        }
        idleMs = minIdle;
        if (result.done) return close();
        const message = result.value;
        if (message.seq <= last) continue;
        if (message.seq === last + 1) buffer.push(message);
        // Some events never came live (lost, or not published): the log has them, this one included.
        else caughtUp = false;
      }
    },
    return: close,
    async throw(error?: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

const STATUS_OF_EVENT: Readonly<Record<string, ExecutionStatus>> = {
  'execution.created': 'pending',
  'execution.queued': 'queued',
  'execution.started': 'running',
  'execution.resumed': 'running',
  'execution.waiting': 'waiting',
  'execution.paused': 'paused',
  'execution.retried': 'waiting',
  'execution.completed': 'completed',
  'execution.failed': 'failed',
  'execution.cancelled': 'cancelled',
};

const isExecutionStatus = (value: unknown): value is ExecutionStatus =>
  typeof value === 'string' && Object.hasOwn(EXECUTION_STATUSES, value);

/** The status an execution-level event leaves the run in; undefined for other events. */
export function statusAfter(message: ExecutionEventMessage): ExecutionStatus | undefined {
  if (!message.type.startsWith('execution.')) return undefined;
  const stated = message.payload['status'];
  return isExecutionStatus(stated) ? stated : STATUS_OF_EVENT[message.type];
}

export interface ExecutionChange extends ExecutionEventMessage {
  status: ExecutionStatus;
}

const WORKFLOW_CACHE_LIMIT = 10_000;

/**
 * A tenant's execution-level events, narrowed to some statuses, one workflow and one run. The workflow of
 * each execution is looked up once per subscription (runs never change workflow).
 */
export function filterChanges(
  live: AsyncIterableIterator<ExecutionEventMessage>,
  filter: { workflowId?: string | undefined; statuses?: ReadonlySet<ExecutionStatus> | undefined; executionId?: string | undefined },
  workflowOf: (executionId: string) => Promise<string | undefined>,
  /** A failed lookup: the event is skipped (this feed is live only; a dashboard refreshes from queries). */
  onLookupError?: (error: unknown) => void,
): AsyncIterableIterator<ExecutionChange> {
  const workflows = new Map<string, string | undefined>();
  const iterator: AsyncIterableIterator<ExecutionChange> = {
    async next() {
      for (;;) {
        const result = await live.next();
        if (result.done) return { done: true, value: undefined };
        const message = result.value;
        const status = statusAfter(message);
        if (!status || (filter.statuses && !filter.statuses.has(status))) continue;
        if (filter.executionId !== undefined && message.executionId !== filter.executionId) continue;
        if (filter.workflowId) {
          if (!workflows.has(message.executionId)) {
            let workflowId: string | undefined;
            try {
              workflowId = await workflowOf(message.executionId);
            } catch (error) {
              onLookupError?.(error);
              continue;
            }
            if (workflows.size >= WORKFLOW_CACHE_LIMIT) workflows.clear();
            workflows.set(message.executionId, workflowId);
          }
          if (workflows.get(message.executionId) !== filter.workflowId) continue;
        }
        return { done: false, value: withFields(message, { status }) };
      }
    },
    async return(value?: unknown) {
      await live.return?.(value);
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await live.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
