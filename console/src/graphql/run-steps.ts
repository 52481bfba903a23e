import type { Cache, UpdateResolver } from '@urql/exchange-graphcache';

/** The fields of an `executionProgress` event the merge reads (RunEvent and the event's `step`). */
interface ProgressEvent {
  executionId?: unknown;
  type?: unknown;
  payload?: unknown;
  step?: { __typename?: string; id?: unknown } | null;
}

/** The step keys a retry forgot: `execution.retried`'s `payload.reset`. */
function resetBy(event: ProgressEvent): Set<string> {
  if (event.type !== 'execution.retried' || typeof event.payload !== 'object' || event.payload === null) return new Set();
  const reset = (event.payload as { reset?: unknown }).reset;
  return new Set(Array.isArray(reset) ? reset.filter((key): key is string => typeof key === 'string') : []);
}

const sequenceOf = (cache: Cache, step: string): number => {
  const sequence = cache.resolve(step, 'sequence');
  return typeof sequence === 'number' ? sequence : Number.MAX_SAFE_INTEGER;
};

/**
 * A run's live event brings the run without its steps and the one step it is about (`step`, keyed by
 * its id, so a step already listed is updated where it is). Here the run's list of steps follows: a
 * step seen for the first time joins it in the order steps first started, and the steps a retry reset
 * (`execution.retried`, `payload.reset`) leave it, to be drawn as not started until they start again.
 * A run whose steps were never read in this cache is left alone: the page's query reads them whole.
 */
export const mergeEventStep: UpdateResolver = (result, _args, cache) => {
  const event = result['executionProgress'] as ProgressEvent | null | undefined;
  if (typeof event?.executionId !== 'string') return;
  const run = cache.keyOfEntity({ __typename: 'Execution', id: event.executionId });
  const listed = run ? cache.resolve(run, 'steps') : null;
  if (!run || !Array.isArray(listed)) return;
  const reset = resetBy(event);
  let steps = (listed as unknown[]).filter((step): step is string => typeof step === 'string');
  if (reset.size)
    steps = steps.filter((step) => {
      const key = cache.resolve(step, 'key');
      return typeof key !== 'string' || !reset.has(key);
    });
  const step = event.step ? cache.keyOfEntity(event.step as Parameters<Cache['keyOfEntity']>[0]) : null;
  if (step && !steps.includes(step)) steps = [...steps, step].sort((a, b) => sequenceOf(cache, a) - sequenceOf(cache, b));
  if (steps.length !== listed.length || steps.some((key, index) => key !== listed[index])) cache.link(run, 'steps', steps);
};
