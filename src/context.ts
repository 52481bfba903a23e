import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthService } from './auth/auth-service.js';
import type { Viewer } from './auth/viewer.js';
import type { Engine } from './engine/index.js';
import type { Logger } from './logger.js';
import type { PubSub } from './pubsub.js';
import type { WorkflowStatsHub } from './resolvers/workflow-stats-feed.js';

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
  /** The process's live workflow stats, shared by every subscriber of a workflow. */
  readonly workflowStats: WorkflowStatsHub;
  /** How long a progress subscription hears nothing before it reads the log again; undefined: the stream's default. */
  readonly progressIdlePollMs: number | undefined;
}

/** What the contexts of one server share. */
export interface RequestContextDeps {
  auth: AuthService;
  pubsub: PubSub;
  engine: Engine;
  logger: Logger;
  workflowStats: WorkflowStatsHub;
  /** Tests shorten it to see a lost notification caught up without waiting the default. */
  progressIdlePollMs?: number | undefined;
  /** A fork for the viewer (confined to its tenant), or an unconfined one without a viewer. */
  forkEm(viewer: Viewer | undefined): EntityManager;
}

/** What a context makes on first use: most reads go through the engine's SQL and need none of it. */
interface Made {
  em?: EntityManager;
  logger?: Logger;
  engine?: Engine;
}

/**
 * The lazy parts are getters on the prototype: Apollo clones the context per operation with
 * `Object.assign` over its own properties, which would call own getters and so fork an EntityManager,
 * a child logger and an engine view on every request. The clone shares `made` with the original.
 */
class LazyRequestContext implements RequestContext {
  private readonly made: Made = {};

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer | undefined,
    private readonly deps: RequestContextDeps,
  ) {}

  get auth(): AuthService {
    return this.deps.auth;
  }

  get pubsub(): PubSub {
    return this.deps.pubsub;
  }

  get workflowStats(): WorkflowStatsHub {
    return this.deps.workflowStats;
  }

  get progressIdlePollMs(): number | undefined {
    return this.deps.progressIdlePollMs;
  }

  get em(): EntityManager {
    return (this.made.em ??= this.deps.forkEm(this.viewer));
  }

  get logger(): Logger {
    return (this.made.logger ??= this.deps.logger.child({ requestId: this.requestId }));
  }

  /** Runs it starts keep the request's id (their log lines name it). */
  get engine(): Engine {
    return (this.made.engine ??= engineForRequest(this.deps.engine, this.requestId));
  }
}

export function createRequestContextFactory(deps: RequestContextDeps): (requestId: string, viewer: Viewer | undefined) => RequestContext {
  return (requestId, viewer) => new LazyRequestContext(requestId, viewer, deps);
}

/** The engine as one request sees it: the runs it starts carry the request's id. */
function engineForRequest(engine: Engine, requestId: string): Engine {
  const start: Engine['start'] = (input, ...rest) => engine.start({ ...input, requestId }, ...rest);
  return Object.assign(Object.create(engine) as Engine, { start });
}
