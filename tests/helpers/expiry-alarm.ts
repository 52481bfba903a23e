import type { ExpiryAlarm } from '../../src/auth/ws-guard.js';

/** An `ExpiryAlarm` that never goes off by itself: the test sees what is set and sets it off. */
export interface ManualExpiryAlarm extends ExpiryAlarm {
  /** The times of the alarms set and neither run nor cancelled. */
  pending(): Date[];
  /** Runs the alarms set for exactly `at`; how many ran. */
  ring(at: Date): number;
}

export function manualExpiryAlarm(): ManualExpiryAlarm {
  const alarms = new Set<{ at: Date; task: () => void }>();
  return {
    set(at, task) {
      const alarm = { at, task };
      alarms.add(alarm);
      return () => alarms.delete(alarm);
    },
    pending: () => [...alarms].map((alarm) => alarm.at),
    ring(at) {
      const due = [...alarms].filter((alarm) => alarm.at.getTime() === at.getTime());
      for (const alarm of due) {
        alarms.delete(alarm);
        alarm.task();
      }
      return due.length;
    },
  };
}
