import type { Logger } from '../logger.js';
import type { EventPublisher } from './ports.js';
import { executionTopic, tenantExecutionsTopic, type ExecutionEventMessage } from './topics.js';
import type { WakeupSource } from './wakeups.js';

/**
 * The live feed of executions' events, after commit. One commit's events (one execution's) travel as
 * one message per topic — a six-step run is three publishes, not sixteen — and subscribers get them
 * one by one, in order. The run's topic carries all of them; the tenant's only execution-level ones.
 */

/** Publishes one commit's events of one execution; a lost publish costs watchers latency, never data (the log has them). */
export function publishExecutionEvents(publisher: EventPublisher, logger: Logger, events: readonly ExecutionEventMessage[]): void {
  const first = events[0];
  if (!first) return;
  const send = (topic: string, batch: readonly ExecutionEventMessage[]) =>
    publisher.publish(topic, batch).catch((error: unknown) => logger.warn({ err: error, topic }, 'publish after commit failed'));
  void send(executionTopic(first.executionId), events);
  const executionLevel = events.filter((event) => event.type.startsWith('execution.'));
  if (executionLevel.length > 0) void send(tenantExecutionsTopic(first.tenantId), executionLevel);
}

/** Every live event of one execution, in order. */
export async function executionFeed(source: WakeupSource, executionId: string): Promise<AsyncIterableIterator<ExecutionEventMessage>> {
  return oneByOne(await source.subscribe<ExecutionEventMessage[] | ExecutionEventMessage>(executionTopic(executionId)));
}

/** The execution-level live events of a tenant's runs, in order per run. */
export async function tenantExecutionsFeed(source: WakeupSource, tenantId: string): Promise<AsyncIterableIterator<ExecutionEventMessage>> {
  return oneByOne(await source.subscribe<ExecutionEventMessage[] | ExecutionEventMessage>(tenantExecutionsTopic(tenantId)));
}

/**
 * Batches one by one; `return()` unsubscribes at once. A single event (what a node of the previous
 * release publishes, during a rolling upgrade) is a batch of one.
 */
function oneByOne<T>(batches: AsyncIterableIterator<T[] | T>): AsyncIterableIterator<T> {
  let queue: T[] = [];
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (queue.length === 0) {
        const result = await batches.next();
        if (result.done) return { done: true, value: undefined };
        queue = Array.isArray(result.value) ? [...result.value] : [result.value];
      }
      return { done: false, value: queue.shift() as T };
    },
    async return() {
      queue = [];
      await batches.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      queue = [];
      await batches.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
