// A Redis client for the rate limiter that never makes a request wait long: short connect and
// command timeouts, no retries of a command, and no offline queue, so while Redis is unreachable a
// command fails at once instead of queueing until Redis returns.
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

const MAX_RECONNECT_DELAY_MS = 2_000;

export interface RedisConnectionOptions {
  url: string;
  /** Bound on connecting and on each command. */
  timeoutMs: number;
  logger: FastifyBaseLogger;
}

/**
 * Connects and waits up to `timeoutMs` for the connection to be ready. When Redis is not there yet,
 * the client is returned anyway and keeps reconnecting in the background; requests meanwhile take
 * the store-failure path (fail open or closed).
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const { logger, timeoutMs } = options;
  const client = new Redis(options.url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  });
  // Without a listener an unreachable Redis would crash the process; the store reports failures.
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn({ err: error }, 'rate limit store: Redis connection failed; retrying in the background');
  });
  client.on('ready', () => {
    if (reported) logger.info('rate limit store: Redis connection is back');
    reported = false;
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const connected = client.connect().then(
    () => 'ready' as const,
    () => 'failed' as const,
  );
  const outcome = await Promise.race([connected, timedOut]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    logger.warn('rate limit store: Redis is not reachable at start; limits fail over until it is');
  }
  return client;
}
