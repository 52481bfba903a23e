import { createGroupCommit } from '../../../src/engine/runtime/group-commit.js';

/** A statement the test finishes when it chooses: the batches it was given, and a way to answer each. */
function statements() {
  const batches: number[][] = [];
  const answers: Array<(results: Array<number | Error>) => void> = [];
  const execute = (items: number[]) =>
    new Promise<Array<number | Error>>((resolve) => {
      batches.push(items);
      answers.push(resolve);
    });
  return { batches, answers, execute };
}

describe('group commit', () => {
  it('sends what is submitted in one turn of the event loop as one statement, though a slot is free for each', async () => {
    const { batches, answers, execute } = statements();
    const commit = createGroupCommit<number, number>({ maxBatch: 32, maxConcurrent: 2, execute });
    const results = [1, 2, 3, 4].map((item) => commit.submit(item));
    expect(batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3, 4]]);
    answers[0]!([10, 20, 30, 40]);
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
  });

  it('runs up to maxConcurrent statements, each of at most maxBatch items; what waits goes in the next', async () => {
    const { batches, answers, execute } = statements();
    const commit = createGroupCommit<number, number>({ maxBatch: 2, maxConcurrent: 2, execute });
    const results = [1, 2, 3, 4, 5].map((item) => commit.submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    answers[0]!([1, new Error('refused')]);
    await expect(results[1]).rejects.toThrow('refused');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    answers[1]!([3, 4]);
    answers[2]!([5]);
    expect(await Promise.all([results[0], results[2], results[3], results[4]])).toEqual([1, 3, 4, 5]);
  });

  it('drain sends what is queued at once and resolves when all of it is written', async () => {
    const written: number[] = [];
    const commit = createGroupCommit<number, number>({
      maxBatch: 32,
      maxConcurrent: 1,
      execute: async (items) => {
        written.push(...items);
        return items;
      },
    });
    const result = commit.submit(7);
    await commit.drain();
    expect(written).toEqual([7]);
    expect(await result).toBe(7);
  });
});
