import { useCallback, useEffect, useRef } from 'react';

/**
 * `fn` at most once every `ms`: the first call runs at once, calls during the pause make one more run at
 * its end. For refetches triggered by live events, which may come by the hundred.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const lastRun = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(
      () => {
        timer.current = null;
        lastRun.current = Date.now();
        latest.current();
      },
      Math.max(0, lastRun.current + ms - Date.now()),
    );
  }, [ms]);
}
