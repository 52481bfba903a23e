import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * A wait for an event that was just registered and has not yet looked back at the events recorded
 * since its step started. Written by the runtime's checkpoint together with the wait itself (so no wait
 * can skip it), taken and deleted by the event dispatcher: an event dispatched a moment before the wait
 * existed still resumes it (src/engine/triggers/lookback.ts).
 */
@Entity({ tableName: 'event_delivery_lookbacks' })
export class EventDeliveryLookback {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'text' })
  stepKey!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
