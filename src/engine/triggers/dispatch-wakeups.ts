import type { EntityManager, EventSubscriber, TransactionEventArgs, EventArgs } from '@mikro-orm/core';
import { DomainEvent } from '../../entities/domain-event.entity.js';
import type { Logger } from '../../logger.js';
import type { EventPublisher } from '../ports.js';

/**
 * Waking the event dispatchers when there is something to dispatch, without NOTIFY: a transaction
 * that notifies serialises on PostgreSQL's database-wide commit lock. Whoever commits a domain event or
 * an event wait's lookback publishes on this topic after the commit (through Redis, every process's
 * dispatcher hears it); the dispatchers also poll, so a lost wake-up costs at most a poll interval.
 */
export const DISPATCH_WAKEUP_TOPIC = 'switchyard:dispatch-wakeup';

export interface DispatchWakeups {
  /** Something was committed for the dispatchers; coalesced, so calling it often costs one publish. */
  wake(): void;
}

export function createDispatchWakeups(publisher: EventPublisher, logger: Logger): DispatchWakeups {
  let scheduled = false;
  return {
    wake() {
      if (scheduled) return;
      scheduled = true;
      // Every commit of this turn of the event loop shares one message.
      setImmediate(() => {
        scheduled = false;
        publisher.publish(DISPATCH_WAKEUP_TOPIC, {}).catch((error: unknown) => logger.debug({ err: error }, 'dispatch wake-up not published; dispatchers will poll'));
      });
    },
  };
}

/**
 * Wakes the dispatchers after a MikroORM transaction that created a DomainEvent commits (services
 * record events through their EntityManager, inside their step's transaction or a request's flush).
 */
export class DomainEventCommitSubscriber implements EventSubscriber<DomainEvent> {
  /** Entity managers whose open transaction created a domain event. */
  private readonly pending = new WeakSet<EntityManager>();

  constructor(private readonly wakeups: DispatchWakeups) {}

  getSubscribedEntities() {
    return [DomainEvent];
  }

  afterCreate(args: EventArgs<DomainEvent>): void {
    this.pending.add(args.em);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    if (this.pending.delete(args.em)) this.wakeups.wake();
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    this.pending.delete(args.em);
  }
}
