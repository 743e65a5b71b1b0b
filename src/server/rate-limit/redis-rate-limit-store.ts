// Counters in Redis, so every instance behind the load balancer enforces one limit together. One Lua
// script counts and opens the window atomically: no instance can see a key without its expiry.
import type { Redis, Result } from 'ioredis';
import type { RateLimitStore, WindowCount } from './rate-limit-store.ts';

// INCR, then PEXPIRE only on the window's first hit (PTTL -1: no expiry yet), then the time left.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rateLimitHit(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: Redis;
  readonly #keyPrefix: string;

  /** `client` is owned by the store from now on: close() quits it. */
  constructor(client: Redis, keyPrefix: string) {
    this.#client = client;
    this.#keyPrefix = keyPrefix;
    client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, ttl] = await this.#client.rateLimitHit(this.#keyPrefix + key, windowMs);
    return { count, resetInMs: ttl };
  }

  async close(): Promise<void> {
    // quit() waits for a reply a hung server never sends; disconnect() does not wait.
    this.#client.disconnect();
  }
}
