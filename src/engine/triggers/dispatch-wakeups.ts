import type { EntityManager, EventSubscriber, TransactionEventArgs, EventArgs } from '@mikro-orm/core';
import { DomainEvent } from '../../entities/domain-event.entity.js';
import type { Wakeups } from '../wakeups.js';

/**
 * Wakes the dispatchers after a MikroORM transaction that created a DomainEvent commits (services
 * record events through their EntityManager, inside their step's transaction or a request's flush).
 */
export class DomainEventCommitSubscriber implements EventSubscriber<DomainEvent> {
  /** Entity managers whose open transaction created a domain event. */
  private readonly pending = new WeakSet<EntityManager>();

  constructor(private readonly wakeups: Wakeups) {}

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
