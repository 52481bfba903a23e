/** What the engine needs from outside, supplied by the composition root. */
export interface EventPublisher {
  publish(topic: string, payload: unknown): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
