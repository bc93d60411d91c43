export { openQueueRedis, RedisEvicts, type QueueRedisOptions } from './queue-redis';
export { watchForWipe, type WipeWatch, type WipeWatchOptions } from './wipe-watch';
