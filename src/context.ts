import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthService } from './auth/auth-service.js';
import type { Viewer } from './auth/viewer.js';
import type { Engine } from './engine/index.js';
import type { Logger } from './logger.js';
import type { PubSub } from './pubsub.js';

/** What every resolver receives: built per HTTP request and per subscription operation. */
export interface RequestContext {
  readonly requestId: string;
  /** Forked for this request or operation only; with a viewer, limited to the viewer's tenant (src/auth/tenant-scope.ts). */
  readonly em: EntityManager;
  /** Who is asking; undefined when no credential was sent (only public fields answer then). */
  readonly viewer: Viewer | undefined;
  readonly auth: AuthService;
  readonly engine: Engine;
  readonly pubsub: PubSub;
  readonly logger: Logger;
}
