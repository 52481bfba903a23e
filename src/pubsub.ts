/**
 * Live notifications between processes: the `PubSub` port and its two implementations, in-process
 * (one process serves everyone) and Redis (any API node serves any subscriber). See ./pubsub/.
 */
export { PubSubError, type PubSub } from './pubsub/types.js';
export { createInProcessPubSub } from './pubsub/in-process.js';
export { createRedisPubSub, type RedisPubSubOptions } from './pubsub/redis.js';
export { endOnResync } from './pubsub/live-only.js';
