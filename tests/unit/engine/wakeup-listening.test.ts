import { listenWhileWanted } from '../../../src/engine/wakeups.js';

/** A listener switched on and off: how many subscriptions are live, and how many were ever made. */
function counted() {
  const state = { live: 0, made: 0 };
  /** The most subscriptions ever live at once. */
  const most = { live: 0 };
  const listen = async () => {
    state.live += 1;
    state.made += 1;
    most.live = Math.max(most.live, state.live);
    // A subscription takes a moment to be made: a second one must not start meanwhile.
    await Promise.resolve();
    return async () => {
      await Promise.resolve();
      state.live -= 1;
    };
  };
  return { state, most, listen };
}

describe('a wake-up listener switched on and off (listenWhileWanted)', () => {
  it('listens only once wanted, stops when no longer wanted, and listens afresh when wanted again', async () => {
    const { state, listen } = counted();
    const listener = listenWhileWanted(listen);
    expect(state.live).toBe(0);
    await listener.want(true);
    expect(state).toEqual({ live: 1, made: 1 });
    await listener.want(true);
    expect(state).toEqual({ live: 1, made: 1 });
    await listener.want(false);
    expect(state).toEqual({ live: 0, made: 1 });
    await listener.want(true);
    expect(state).toEqual({ live: 1, made: 2 });
  });

  it('quick changes of mind leave the last wish in force, never two subscriptions at once', async () => {
    const { state, most, listen } = counted();
    const listener = listenWhileWanted(listen);
    void listener.want(true);
    void listener.want(false);
    void listener.want(true);
    await listener.want(false);
    expect(state.live).toBe(0);
    void listener.want(true);
    void listener.want(false);
    await listener.want(true);
    expect(state.live).toBe(1);
    expect(most.live).toBe(1);
  });

  it('once stopped, stays stopped whatever is wished after', async () => {
    const { state, listen } = counted();
    const listener = listenWhileWanted(listen);
    await listener.want(true);
    await listener.stop();
    await listener.want(true);
    expect(state).toEqual({ live: 0, made: 1 });
  });
});
