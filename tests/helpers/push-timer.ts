import type { PushTimer } from '../../src/resolvers/workflow-stats-feed.js';

/** A `PushTimer` whose time moves only when the test says: nothing it schedules runs until `advance`. */
export interface ManualPushTimer extends PushTimer {
  /** Tasks scheduled and not yet run. */
  pending(): number;
  /** Moves time on and runs the tasks that came due, earliest first. */
  advance(ms: number): void;
}

export function manualPushTimer(): ManualPushTimer {
  let now = 0;
  const tasks = new Set<{ at: number; task: () => void }>();
  return {
    now: () => now,
    after(ms, task) {
      const scheduled = { at: now + ms, task };
      tasks.add(scheduled);
      return () => tasks.delete(scheduled);
    },
    pending: () => tasks.size,
    advance(ms) {
      now += ms;
      for (const scheduled of [...tasks].sort((a, b) => a.at - b.at)) {
        if (scheduled.at > now) break;
        tasks.delete(scheduled);
        scheduled.task();
      }
    },
  };
}
