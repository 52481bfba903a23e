import { useCallback, useEffect, useRef } from 'react';

/**
 * `push` collects items and hands them to `flush` together at the next animation frame: what arrives
 * in bursts (live events, one websocket message each) is rendered once a frame. A hidden tab gets
 * no frames; what it collected is flushed when it is shown again.
 */
export function useFrameBatch<T>(flush: (items: T[]) => void): (item: T) => void {
  const latest = useRef(flush);
  latest.current = flush;
  const pending = useRef<T[]>([]);
  const frame = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      pending.current = [];
    },
    [],
  );
  return useCallback((item: T) => {
    pending.current.push(item);
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const items = pending.current;
      pending.current = [];
      latest.current(items);
    });
  }, []);
}
