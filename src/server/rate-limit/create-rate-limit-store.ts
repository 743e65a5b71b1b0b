// Chooses the rate limit store from configuration: Redis when REDIS_URL is set (limits shared by all
// instances), process memory otherwise.
import type { FastifyBaseLogger } from 'fastify';
import type { RateLimitConfig } from '../../config/rate-limit-config.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

export async function createRateLimitStore(
  config: RateLimitConfig,
  logger: FastifyBaseLogger,
): Promise<RateLimitStore> {
  if (config.redisUrl === undefined) return new MemoryRateLimitStore({ maxKeys: config.memoryMaxKeys });
  // Loaded only when used: a single instance never loads the Redis client.
  const [{ connectRedis }, { RedisRateLimitStore }] = await Promise.all([
    import('./redis-connection.ts'),
    import('./redis-rate-limit-store.ts'),
  ]);
  const client = await connectRedis({ url: config.redisUrl, timeoutMs: config.redisTimeoutMs, logger });
  return new RedisRateLimitStore(client, config.redisKeyPrefix);
}
