import { setClock, type Clock } from '../../src/auth/clock.js';
import type { TestServer } from './server.js';

/** A clock the test moves by hand: expiry is decided against it, never against waiting. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/**
 * Sets a manual clock on the server's ORM (auth/clock.ts): what the API times by it — expiry of
 * invitations, resets and webhook secrets, the user lookup it trusts for a while, the rate limit's
 * refill — moves only when the test advances it.
 */
export function installManualClock(server: Pick<TestServer, 'orm'>, start = new Date()): ManualClock {
  let now = start.getTime();
  const clock: ManualClock = {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
  setClock(server.orm, clock);
  return clock;
}
