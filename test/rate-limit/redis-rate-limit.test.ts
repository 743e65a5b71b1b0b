// The Redis store against a real Redis: atomic windows, limits shared by instances, and what happens
// when Redis is down or hangs.
import { pino } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/server/rate-limit/redis-connection.ts';
import { RedisRateLimitStore } from '../../src/server/rate-limit/redis-rate-limit-store.ts';
import { TcpProxy } from '../database/tcp-proxy.ts';
import {
  closedPort,
  deleteKeys,
  TEST_REDIS_URL,
  testRedisAvailable,
  uniqueKeyPrefix,
} from '../support/test-redis.ts';
import { limitedServers } from './limited-server.ts';

const available = await testRedisAvailable();
const silent = pino({ level: 'silent' });
const prefixes: string[] = [];
function prefix(): string {
  const value = uniqueKeyPrefix();
  prefixes.push(value);
  return value;
}
afterAll(async () => {
  if (available) for (const value of prefixes) await deleteKeys(value);
});

const serverWith = limitedServers();

describe.skipIf(!available)('RedisRateLimitStore', () => {
  it('counts hits in a window that expires on its own', async () => {
    const client = await connectRedis({ url: TEST_REDIS_URL, timeoutMs: 1000, logger: silent });
    const keyPrefix = prefix();
    const store = new RedisRateLimitStore(client, keyPrefix);
    try {
      const first = await store.hit('k', 1000);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(0);
      expect(first.resetInMs).toBeLessThanOrEqual(1000);
      expect((await store.hit('k', 1000)).count).toBe(2);
      expect(await client.pttl(`${keyPrefix}k`)).toBeGreaterThan(0);
      await sleep(1100);
      expect((await store.hit('k', 1000)).count).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('counts every one of many concurrent hits exactly once', async () => {
    const client = await connectRedis({ url: TEST_REDIS_URL, timeoutMs: 1000, logger: silent });
    const store = new RedisRateLimitStore(client, prefix());
    try {
      const counts = await Promise.all(Array.from({ length: 50 }, () => store.hit('burst', 60_000)));
      expect(counts.map((count) => count.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, index) => index + 1),
      );
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!available)('two instances sharing one Redis', () => {
  it('enforce one limit between them', async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      RATE_LIMIT_REDIS_KEY_PREFIX: prefix(),
      RATE_LIMIT_DEFAULT_LIMIT: '3',
      // A hit slower than the command timeout fails open and goes uncounted (tested below); on a busy
      // machine the default 250 ms can pass, so this test of counting allows more.
      RATE_LIMIT_REDIS_TIMEOUT: '5s',
    };
    const a = await serverWith(env);
    const b = await serverWith(env);
    const get = { method: 'GET' as const, url: '/v1/notes/a' };
    expect((await a.app.inject(get)).statusCode).toBe(200);
    expect((await b.app.inject(get)).statusCode).toBe(200);
    const third = await a.app.inject(get);
    expect(third.statusCode).toBe(200);
    expect(third.headers['x-ratelimit-remaining']).toBe('0');
    expect((await b.app.inject(get)).statusCode).toBe(429);
    expect(b.metrics.rejected).toEqual(['/v1/notes/:id']);
  });
});

describe('Redis unreachable', () => {
  it('fails open by default: requests pass unlimited, one warning, a metric per request', async () => {
    const port = await closedPort();
    const { app, metrics, logLines } = await serverWith({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      RATE_LIMIT_REDIS_TIMEOUT: '100ms',
      RATE_LIMIT_DEFAULT_LIMIT: '1',
    });
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'GET', url: '/v1/notes/a' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
    expect(metrics.storeFailures).toBe(3);
    const warnings = logLines.filter((line) => String(line.msg).startsWith('rate limit store failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, msg: expect.stringContaining('requests pass unlimited') });
  });

  it('fails closed with RATE_LIMIT_REDIS_FAIL_OPEN=false: a 503 problem with Retry-After', async () => {
    const port = await closedPort();
    const { app, metrics } = await serverWith({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      RATE_LIMIT_REDIS_TIMEOUT: '100ms',
      RATE_LIMIT_REDIS_FAIL_OPEN: 'false',
    });
    const response = await app.inject({ method: 'GET', url: '/v1/notes/a' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ type: '/problems/rate-limit-unavailable', status: 503 });
    expect(metrics.storeFailures).toBe(1);
    // Operational endpoints do not depend on the store.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe.skipIf(!available)('Redis back after an outage', () => {
  it('limits again once it answers, without a restart', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.stop();
    try {
      const { app, metrics } = await serverWith({
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        RATE_LIMIT_REDIS_KEY_PREFIX: prefix(),
        RATE_LIMIT_REDIS_TIMEOUT: '100ms',
      });
      const during = await app.inject({ method: 'GET', url: '/v1/notes/a' });
      expect(during.statusCode).toBe(200);
      expect(during.headers['x-ratelimit-limit']).toBeUndefined();
      expect(metrics.storeFailures).toBe(1);

      await proxy.resume();
      let limitedAgain = false;
      // The client retries in the background (at most 2 s apart); no timing is asserted beyond that.
      for (let attempt = 0; attempt < 50 && !limitedAgain; attempt++) {
        await sleep(100);
        const response = await app.inject({ method: 'GET', url: '/v1/notes/a' });
        limitedAgain = response.headers['x-ratelimit-limit'] === '100';
      }
      expect(limitedAgain).toBe(true);
    } finally {
      await proxy.stop();
    }
  });
});

describe.skipIf(!available)('Redis hung', () => {
  it('bounds every request by the command timeout and fails open', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    try {
      const { app, metrics } = await serverWith({
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        RATE_LIMIT_REDIS_KEY_PREFIX: prefix(),
        RATE_LIMIT_REDIS_TIMEOUT: '200ms',
      });
      const before = await app.inject({ method: 'GET', url: '/v1/notes/a' });
      expect(before.headers['x-ratelimit-remaining']).toBe('99');

      proxy.hang();
      const during = await app.inject({ method: 'GET', url: '/v1/notes/a' });
      expect(during.statusCode).toBe(200);
      expect(during.headers['x-ratelimit-remaining']).toBeUndefined();
      expect(metrics.storeFailures).toBe(1);
    } finally {
      proxy.unhang();
      await proxy.stop();
    }
  });
});
