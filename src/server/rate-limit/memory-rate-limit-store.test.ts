import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, RateLimitStoreFullError } from './memory-rate-limit-store.ts';

let now = 1_000_000;
const store = new MemoryRateLimitStore({ maxKeys: 1000, now: () => now });
afterEach(() => store.sweep());

describe('MemoryRateLimitStore', () => {
  it('counts hits per key within a window and reports the time left', async () => {
    expect(await store.hit('a', 10_000)).toEqual({ count: 1, resetInMs: 10_000 });
    now += 4_000;
    expect(await store.hit('a', 10_000)).toEqual({ count: 2, resetInMs: 6_000 });
    expect(await store.hit('b', 10_000)).toEqual({ count: 1, resetInMs: 10_000 });
  });

  it('starts a new window once the old one has closed', async () => {
    await store.hit('c', 1_000);
    await store.hit('c', 1_000);
    now += 1_000;
    expect(await store.hit('c', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('forgets closed windows when swept', async () => {
    await store.close();
    const local = new MemoryRateLimitStore({ maxKeys: 1000, now: () => now });
    await local.hit('x', 1_000);
    await local.hit('y', 5_000);
    now += 2_000;
    local.sweep();
    expect(local.size).toBe(1);
    await local.close();
    expect(local.size).toBe(0);
  });

  it('refuses new clients past its key bound until closed windows free room, existing ones still count', async () => {
    const bounded = new MemoryRateLimitStore({ maxKeys: 2, now: () => now });
    await bounded.hit('first', 1_000);
    await bounded.hit('second', 5_000);
    await expect(bounded.hit('third', 1_000)).rejects.toBeInstanceOf(RateLimitStoreFullError);
    expect((await bounded.hit('first', 1_000)).count).toBe(2);
    now += 1_000;
    expect((await bounded.hit('third', 1_000)).count).toBe(1);
    await bounded.close();
  });
});
