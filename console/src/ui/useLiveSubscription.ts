import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useSubscription, type AnyVariables, type DocumentInput, type SubscriptionHandler, type UseSubscriptionArgs } from 'urql';
import { useSession } from '../auth/SessionProvider';

const never = () => () => undefined;

/** True while the session's websocket is connected (live data can arrive). */
export function useLiveConnection(): boolean {
  const connection = useSession().clients?.connection;
  return useSyncExternalStore(connection?.subscribe ?? never, () => connection?.connected() ?? false);
}

/**
 * A subscription that keeps a list live, with `resync` (the list asked for again) whenever news may have
 * been missed: each time the websocket (re)connects — what changed while it was away, or before the
 * subscription was in place, came by no event — and when the server ends the subscription (after a gap
 * in its own feed), which is then started again. Answers what `handler` made of the latest push (undefined before one).
 */
export function useLiveSubscription<Data, Variables extends AnyVariables>(
  args: UseSubscriptionArgs<Variables, Data> & { query: DocumentInput<Data, Variables> },
  handler: SubscriptionHandler<Data, Data>,
  resync: () => void,
): Data | undefined {
  const [state, subscribeAgain] = useSubscription(args, handler);
  const latest = useRef(resync);
  latest.current = resync;
  const connection = useSession().clients?.connection;
  useEffect(() => {
    if (!connection) return;
    let was = connection.connected();
    return connection.subscribe(() => {
      const now = connection.connected();
      if (now && !was) latest.current();
      was = now;
    });
  }, [connection]);
  const active = useRef(false);
  useEffect(() => {
    if (state.fetching) {
      active.current = true;
      return;
    }
    if (!active.current || state.error) return;
    active.current = false;
    latest.current();
    subscribeAgain();
  }, [state.fetching, state.error, subscribeAgain]);
  return state.data;
}
