import type { EntityManager, EventSubscriber, TransactionEventArgs, EventArgs } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainEvent } from '../../entities/domain-event.entity.js';
import type { Wakeups } from '../wakeups.js';

/** A knex transaction: a nested one (a savepoint) names the transaction it is nested in. */
interface KnexTransaction {
  parentTransaction?: KnexTransaction;
}

/** The outermost transaction around `em`'s, whose commit is the one that makes its writes visible. */
function rootTransaction(em: EntityManager): object | undefined {
  let transaction = em.getTransactionContext<KnexTransaction>();
  while (transaction?.parentTransaction) transaction = transaction.parentTransaction;
  return transaction;
}

/**
 * Wakes the dispatchers after a MikroORM transaction that created a DomainEvent commits (services
 * record events through their EntityManager, inside their step's transaction or a request's flush).
 * An event created in a nested transaction — a savepoint, as in an audited mutation, whose middleware
 * opens the request's transaction around the resolver's own — wakes them when the outermost commits:
 * only then can a dispatcher see it.
 */
class DomainEventCommitSubscriber implements EventSubscriber<DomainEvent> {
  /** Entity managers and root transactions whose open transaction created a domain event. */
  private readonly pending = new WeakSet<object>();

  constructor(private readonly wakeups: Wakeups) {}

  getSubscribedEntities() {
    return [DomainEvent];
  }

  afterCreate(args: EventArgs<DomainEvent>): void {
    this.pending.add(args.em);
    const root = rootTransaction(args.em);
    if (root) this.pending.add(root);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    if (this.settle(args)) this.wakeups.wake();
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    this.settle(args);
  }

  /** Forgets what the ending transaction created; true when it created a domain event. */
  private settle(args: TransactionEventArgs): boolean {
    const byManager = this.pending.delete(args.em);
    // A knex transaction is a function object.
    const transaction: unknown = args.transaction;
    const byTransaction =
      (typeof transaction === 'object' || typeof transaction === 'function') && transaction !== null && this.pending.delete(transaction);
    return byManager || byTransaction;
  }
}

/** From now on every commit through `orm` that recorded a domain event wakes the dispatchers through `wakeups`. */
export function wakeOnDomainEvents(orm: MikroORM, wakeups: Wakeups): void {
  orm.em.getEventManager().registerSubscriber(new DomainEventCommitSubscriber(wakeups));
}
