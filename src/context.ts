import type { EntityManager } from '@mikro-orm/postgresql';
import type { Engine } from './engine/index.js';
import type { Logger } from './logger.js';
import type { PubSub } from './pubsub.js';

/** What every resolver receives: built per HTTP request and per subscription operation. */
export interface RequestContext {
  readonly requestId: string;
  /** Forked for this request or operation only. */
  readonly em: EntityManager;
  readonly engine: Engine;
  readonly pubsub: PubSub;
  readonly logger: Logger;
}
