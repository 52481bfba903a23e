import { jest } from '@jest/globals';
import { executionFeed, executionTopic, type ExecutionEventMessage, type ProgressSnapshot } from '../../../src/engine/index.js';
import type { ExecutionStatus } from '../../../src/entities/statuses.js';
import { createInProcessPubSub } from '../../../src/pubsub.js';
import { ProgressUnavailableError, openProgressStream } from '../../../src/resolvers/progress-stream.js';

/**
 * The relay's ordering rules on their own, with an in-process pub/sub and a log kept in memory: the
 * cases a live system produces only by chance (a read failing, a retried run's log going on after
 * its final event).
 */
const EXECUTION = '5f0c2a43-7f59-4d3c-9d3a-1f1f7b7a0001';

function event(seq: number, type = 'step.completed'): ExecutionEventMessage {
  return { executionId: EXECUTION, tenantId: 't', seq, type, stepKey: null, payload: {}, at: new Date().toISOString() };
}

function memoryLog(events: ExecutionEventMessage[], status: () => ExecutionStatus = () => 'running') {
  const reads: number[] = [];
  return {
    reads,
    read: async (after: number, first: number): Promise<ProgressSnapshot> => {
      reads.push(after);
      const page = events.filter((candidate) => candidate.seq > after).slice(0, first);
      return { status: status(), lastEventSeq: events.at(-1)?.seq ?? 0, events: page };
    },
  };
}

async function drain(iterator: AsyncIterator<ExecutionEventMessage>): Promise<number[]> {
  const seqs: number[] = [];
  for (let result = await iterator.next(); !result.done; result = await iterator.next()) seqs.push(result.value.seq);
  return seqs;
}

describe('the progress relay', () => {
  it('pages through a long log, and goes on past a final event that a retry followed', async () => {
    const pubsub = createInProcessPubSub();
    const events = [
      ...Array.from({ length: 7 }, (_, i) => event(i + 1)),
      event(8, 'execution.failed'),
      event(9, 'execution.retried'),
      event(10),
      event(11, 'execution.completed'),
    ];
    const log = memoryLog(events, () => 'completed');
    const stream = await openProgressStream({ live: await executionFeed(pubsub, EXECUTION), read: log.read, after: 0, pageSize: 3 });
    expect(await drain(stream)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(log.reads).toEqual([0, 3, 6, 9]);
  });

  it('retries a failed read, and gives up with an error that says what to do and nothing internal', async () => {
    const pubsub = createInProcessPubSub();
    const events = [event(1), event(2)];
    const log = memoryLog(events);
    let failures = 1;
    const errors: number[] = [];
    const read = async (after: number, first: number) => {
      if (after > 0 && failures-- > 0) throw new Error('connection terminated: select … from execution_events');
      return log.read(after, first);
    };
    const stream = await openProgressStream({
      live: await executionFeed(pubsub, EXECUTION),
      read,
      after: 0,
      onReadError: (_, attempt) => errors.push(attempt),
    });
    expect((await stream.next()).value?.seq).toBe(1);
    expect((await stream.next()).value?.seq).toBe(2);
    // A gap: seq 3 and 4 are in the log, only 4 comes live; the first read of the log fails once.
    events.push(event(3), event(4, 'execution.completed'));
    await pubsub.publish(executionTopic(EXECUTION), [event(4, 'execution.completed')]);
    expect(await drain(stream)).toEqual([3, 4]);
    expect(errors).toEqual([1]);

    // A log that cannot be read after the first page: retried after 0.1, 1 and 5 s, then the error.
    const healthy = memoryLog([event(1), event(2)]);
    const broken = async (after: number, first: number) => {
      if (after > 0) throw new Error('connection terminated: select … from execution_events');
      return healthy.read(after, first);
    };
    const pauses: number[] = [];
    const pause = async (ms: number) => void pauses.push(ms);
    const failing = await openProgressStream({
      live: await executionFeed(pubsub, EXECUTION),
      read: broken,
      after: 0,
      idlePollMs: 10,
      pause,
    });
    expect([(await failing.next()).value?.seq, (await failing.next()).value?.seq]).toEqual([1, 2]);
    const failure = await failing.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProgressUnavailableError);
    expect(String(failure)).not.toMatch(/select|connection/);
    expect(pauses).toEqual([100, 1_000, 5_000]);
    await pubsub.close();
  });

  it("hands out a commit's batch of events one by one, and a lone event (an older node's) as well", async () => {
    const pubsub = createInProcessPubSub();
    const live = await executionFeed(pubsub, EXECUTION);
    await pubsub.publish(executionTopic(EXECUTION), [event(1), event(2), event(3)]);
    await pubsub.publish(executionTopic(EXECUTION), event(4));
    await pubsub.publish(executionTopic(EXECUTION), []);
    await pubsub.publish(executionTopic(EXECUTION), [event(5)]);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i += 1) seqs.push(((await live.next()).value as ExecutionEventMessage).seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    await live.return?.();
    expect(await live.next()).toEqual({ done: true, value: undefined });
    await pubsub.close();
  });

  it('releases the live subscription at once when the client leaves, even mid-wait', async () => {
    const pubsub = createInProcessPubSub();
    const live = await executionFeed(pubsub, EXECUTION);
    const stream = await openProgressStream({ live, read: memoryLog([]).read, after: 0 });
    const pending = stream.next();
    await stream.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    await pubsub.publish(executionTopic(EXECUTION), [event(1)]);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('re-reads an idle log after idlePollMs, doubling up to maxIdlePollMs but never below idlePollMs', async () => {
    jest.useFakeTimers();
    const pubsub = createInProcessPubSub();
    try {
      const log = memoryLog([]);
      // An idle poll set longer than the cap (SWITCHYARD_PROGRESS_IDLE_POLL_MS of an hour) stays that long.
      const stream = await openProgressStream({
        live: await executionFeed(pubsub, EXECUTION),
        read: log.read,
        after: 0,
        idlePollMs: 1_000,
        maxIdlePollMs: 500,
      });
      const pending = stream.next();
      await jest.advanceTimersByTimeAsync(999);
      expect(log.reads).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(log.reads).toHaveLength(2);
      // Capped at 500 ms it would read again here; it waits its 1,000 ms.
      await jest.advanceTimersByTimeAsync(600);
      expect(log.reads).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(400);
      expect(log.reads).toHaveLength(3);
      await stream.return?.();
      expect(await pending).toEqual({ done: true, value: undefined });
    } finally {
      jest.useRealTimers();
      await pubsub.close();
    }
  });
});
