import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Audited } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import { requireViewer, viewerSource } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { EventDeliveryRecord, EventRecord } from '../engine/index.js';
import type { JsonObject } from '../entities/json.js';
import { AppError } from '../errors.js';
import { JSONObjectScalar } from '../schema/scalars/index.js';
import {
  DomainEventFilterInput,
  DomainEventPageType,
  DomainEventType,
  EventDeliveryType,
  PublishedEventType,
} from '../schema/types/event.type.js';
import { ExecutionType } from '../schema/types/execution.type.js';
import { toExecutionType } from './execution-mappers.js';
import { loadersOf } from './loaders/execution.loader.js';
import { redactSecrets } from './redact.js';

export function toDomainEventType(record: EventRecord): DomainEventType {
  return {
    id: record.id,
    name: record.name,
    payload: redactSecrets(record.payload),
    source: record.source,
    occurredAt: record.occurredAt,
    dispatchedAt: record.dispatchedAt,
  };
}

function toDeliveryType(record: EventDeliveryRecord): EventDeliveryType {
  return {
    workflow: record.workflowName,
    status: record.status,
    executionId: record.executionId,
    error: record.error,
    deliveredAt: record.createdAt,
  };
}

/** The batched reads of one request: whatever number of events a page shows, one statement per relation. */
interface EventLoaders {
  deliveries: DataLoader<string, EventDeliveryRecord[]>;
  resumed: DataLoader<string, string[]>;
  triggeringEvent: DataLoader<string, EventRecord | null>;
}

const perContext = new WeakMap<RequestContext, EventLoaders>();

function eventLoaders(ctx: RequestContext): EventLoaders {
  let loaders = perContext.get(ctx);
  if (!loaders) {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    const { events } = ctx.engine;
    const read = <T>(work: Parameters<typeof inTenantTransaction<T>>[2]) => inTenantTransaction(ctx.em, tenantId, work);
    loaders = {
      deliveries: new DataLoader(async (ids) => {
        const rows = await read((em) => events.deliveries(em, tenantId, ids));
        return ids.map((id) => rows.filter((row) => row.eventId === id));
      }),
      resumed: new DataLoader(async (ids) => {
        const rows = await read((em) => events.resumed(em, tenantId, ids));
        return ids.map((id) => rows.filter((row) => row.eventId === id).map((row) => row.executionId));
      }),
      triggeringEvent: new DataLoader(async (ids) => {
        const found = await read((em) => events.triggeringEvents(em, tenantId, ids));
        return ids.map((id) => found.get(id) ?? null);
      }),
    };
    perContext.set(ctx, loaders);
  }
  return loaders;
}

/** JSON scalars may build objects without a prototype; the engine takes plain JSON. */
function plainJson(value: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

async function executionsByIds(ctx: RequestContext, ids: readonly string[]): Promise<ExecutionType[]> {
  const records = await loadersOf(ctx).execution.loadMany([...new Set(ids)]);
  return records.flatMap((record) => (record && !(record instanceof Error) ? [toExecutionType(record)] : []));
}

@Resolver(() => DomainEventType)
export class EventResolver {
  @Requires('event:publish')
  @Audited({ operation: 'event.publish', targetType: 'event', resultTarget: 'event' })
  @Mutation(() => PublishedEventType, {
    description:
      'Records a domain event for your tenant; the dispatcher then starts the workflows whose triggers accept it and resumes the waiting steps it matches. ' +
      'The same `id` again answers the first event and delivers nothing twice.',
  })
  async publishEvent(
    @Arg('name', { description: '`<entity>.<what happened>`, e.g. `quote.accepted`.' }) name: string,
    @Arg('payload', () => JSONObjectScalar) payload: Record<string, unknown>,
    @Arg('id', () => String, {
      nullable: true,
      description: 'Its identity: a UUID or any key of yours, up to 200 characters. Absent: a new one.',
    })
    id: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<PublishedEventType> {
    const viewer = requireViewer(ctx.viewer);
    const { event, created } = await inTenantTransaction(ctx.em, viewer.tenantId, (em) =>
      ctx.engine.events.publish(em, {
        tenantId: viewer.tenantId,
        name,
        payload: plainJson(payload),
        source: viewerSource(viewer),
        ...(id === null || id === undefined ? {} : { id }),
      }),
    );
    return { event: toDomainEventType(event), created };
  }

  @Requires('execution:view')
  @Query(() => DomainEventPageType, { description: "Your tenant's domain events, newest first." })
  async events(
    @Arg('filter', () => DomainEventFilterInput, { nullable: true }) filter: DomainEventFilterInput | null | undefined,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<DomainEventPageType> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    const page = await inTenantTransaction(ctx.em, tenantId, (em) =>
      ctx.engine.events.list(
        em,
        tenantId,
        {
          ...(filter?.name ? { name: filter.name } : {}),
          ...(filter?.occurredAfter ? { occurredAfter: filter.occurredAfter } : {}),
          ...(filter?.occurredBefore ? { occurredBefore: filter.occurredBefore } : {}),
        },
        { first, ...(after ? { after } : {}) },
      ),
    );
    return { nodes: page.events.map(toDomainEventType), endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  }

  @Requires('execution:view')
  @Query(() => DomainEventType, {
    description: 'One event, by its id or the key it was published with; NOT_FOUND when your tenant has none.',
  })
  async event(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DomainEventType> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    const record = await inTenantTransaction(ctx.em, tenantId, (em) => ctx.engine.events.find(em, tenantId, id));
    if (!record) throw new AppError('NOT_FOUND', `no event ${id.slice(0, 200)}`);
    return toDomainEventType(record);
  }

  @Requires('execution:view')
  @FieldResolver(() => [EventDeliveryType], { description: 'What the event did to each workflow whose trigger accepted it.' })
  async deliveries(@Root() event: DomainEventType, @Ctx() ctx: RequestContext): Promise<EventDeliveryType[]> {
    return (await eventLoaders(ctx).deliveries.load(event.id)).map(toDeliveryType);
  }

  @Requires('execution:view')
  @FieldResolver(() => [ExecutionType], { description: 'The executions the event started through workflow triggers.' })
  async executions(@Root() event: DomainEventType, @Ctx() ctx: RequestContext): Promise<ExecutionType[]> {
    const deliveries = await eventLoaders(ctx).deliveries.load(event.id);
    return executionsByIds(
      ctx,
      deliveries.flatMap((delivery) => (delivery.executionId ? [delivery.executionId] : [])),
    );
  }

  @Requires('execution:view')
  @FieldResolver(() => [ExecutionType], { description: 'The executions whose waiting step the event resumed.' })
  async resumedExecutions(@Root() event: DomainEventType, @Ctx() ctx: RequestContext): Promise<ExecutionType[]> {
    return executionsByIds(ctx, await eventLoaders(ctx).resumed.load(event.id));
  }
}

/** `Execution.triggerEvent`: the other direction, execution → the event that started it. */
@Resolver(() => ExecutionType)
export class ExecutionTriggerEventResolver {
  @Requires('execution:view')
  @FieldResolver(() => DomainEventType, {
    nullable: true,
    description: 'The domain event whose trigger started this execution; null for other starts.',
  })
  async triggerEvent(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<DomainEventType | null> {
    if (execution.trigger.type !== 'event') return null;
    const record = await eventLoaders(ctx).triggeringEvent.load(execution.id);
    return record && toDomainEventType(record);
  }
}
