import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { EVENT_DELIVERY_STATUSES, type EventDeliveryStatus } from '../../entities/event-delivery.entity.js';
import { JSONObjectScalar } from '../scalars/index.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as Record<string, T>;

export const EventDeliveryStatusEnum = enumOf(EVENT_DELIVERY_STATUSES);
registerEnumType(EventDeliveryStatusEnum, {
  name: 'EventDeliveryStatus',
  description: 'STARTED: the trigger started an execution. FAILED: it accepted the event but could not start one (see `error`).',
});

@ObjectType('DomainEvent', {
  description:
    'Something that happened in the domain (`quote.accepted`…), recorded once and delivered to workflow triggers and waiting steps.',
})
export class DomainEventType {
  @Field(() => ID, { description: 'Its identity: publishing the same id again answers this event.' })
  id!: string;

  @Field({ description: '`<entity>.<what happened>`, e.g. `quote.accepted`.' })
  name!: string;

  @Field(() => JSONObjectScalar)
  payload!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'Who or what recorded it: `user:<id>`, `api-key:<id>`, `service-call:<key>`, `system-schedule:<name>`.',
  })
  source!: string | null;

  @Field()
  occurredAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When its triggers and waiting steps were handled; null while it waits for the dispatcher.',
  })
  dispatchedAt!: Date | null;
}

@ObjectType('EventDelivery', { description: 'What an event did to one workflow whose trigger accepted it.' })
export class EventDeliveryType {
  @Field()
  workflow!: string;

  @Field(() => EventDeliveryStatusEnum)
  status!: EventDeliveryStatus;

  @Field(() => ID, { nullable: true })
  executionId!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Why it failed: `{ code, message, retryable }`.' })
  error!: Record<string, unknown> | null;

  @Field()
  deliveredAt!: Date;
}

@ObjectType('DomainEventPage', { description: 'Events, newest first.' })
export class DomainEventPageType {
  @Field(() => [DomainEventType])
  nodes!: DomainEventType[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on an empty page.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType('PublishedEvent')
export class PublishedEventType {
  @Field(() => DomainEventType)
  event!: DomainEventType;

  @Field({ description: 'False when an event with this id existed already: it is the one answered, and nothing was delivered again.' })
  created!: boolean;
}

@InputType('DomainEventFilter', { description: 'Every condition given must hold.' })
export class DomainEventFilterInput {
  @Field(() => String, { nullable: true, description: 'Exactly this event name.' })
  name?: string | null;

  @Field(() => Date, { nullable: true })
  occurredAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  occurredBefore?: Date | null;
}
