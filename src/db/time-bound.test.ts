import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { withinMs } from './time-bound.ts';

describe('withinMs', () => {
  const expired = () => new Error('too slow');

  it('settles like the work when it is in time', async () => {
    await expect(withinMs(Promise.resolve('done'), 1_000, expired)).resolves.toBe('done');
    await expect(withinMs(Promise.reject(new Error('failed')), 1_000, expired)).rejects.toThrow('failed');
  });

  it('rejects with the expiry error when the work takes longer', async () => {
    const started = performance.now();
    await expect(withinMs(sleep(5_000), 50, expired)).rejects.toThrow('too slow');
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it('ignores a failure of the work that comes after the expiry', async () => {
    const late = sleep(100).then(() => {
      throw new Error('late failure');
    });
    await expect(withinMs(late, 10, expired)).rejects.toThrow('too slow');
    // An unhandled rejection would fail the run when it surfaces here.
    await sleep(150);
  });
});
