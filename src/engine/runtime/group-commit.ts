/**
 * Group commit: items submitted while statements are in progress queue up and go together in the next
 * statement — one round trip and one WAL flush for many callers. Up to `maxConcurrent` statements run at
 * once (one can execute while another waits for its flush).
 *
 * A submission is sent once the work under way has yielded to the event loop (setImmediate), not at
 * once: the runs that one statement's answer resumes each submit their next item in that same turn, and
 * they go together. Sent at once, the first of them took the free slot alone and the rest waited for the
 * next one: bench:engine measured 13 % more workflows/s and 14 % less CPU per workflow with the wait.
 */
export interface GroupCommit<I, R> {
  submit(item: I): Promise<R>;
  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void>;
}

export function createGroupCommit<I, R>(options: {
  maxBatch: number;
  maxConcurrent: number;
  /** One result per item, in order: a value, or the Error that item's caller receives. */
  execute(items: I[]): Promise<Array<R | Error>>;
}): GroupCommit<I, R> {
  let queue: Array<{ item: I; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  const running = new Set<Promise<void>>();

  async function write(batch: typeof queue): Promise<void> {
    try {
      const results = await options.execute(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const result = results[index];
        if (result instanceof Error) entry.reject(result);
        else entry.resolve(result as R);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  let pumpScheduled = false;
  function pumpSoon(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  }

  function pump(): void {
    while (queue.length > 0 && running.size < options.maxConcurrent) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      const statement: Promise<void> = write(batch).finally(() => {
        running.delete(statement);
        pump();
      });
      running.add(statement);
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pumpSoon();
      });
    },
    async drain() {
      pump();
      while (running.size > 0) {
        await Promise.allSettled(running);
        pump();
      }
    },
  };
}
