import { useEffect, useRef, useState } from 'react';

/**
 * `value` as of the last animation frame: a value that changes many times a frame (a run's state,
 * rewritten by each of its live events) re-renders what shows it once a frame, with the latest.
 */
export function useFrameValue<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const frame = useRef<number | null>(null);
  useEffect(() => {
    if (Object.is(value, shown) || frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setShown(() => latest.current);
    });
  }, [value, shown]);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );
  return shown;
}
