import { describe, expect, it } from 'vitest';
import { resolveWithSystem } from './system-resolver.ts';

// Only what the machine answers itself (localhost from its hosts file, literals): no query leaves it.
describe('resolveWithSystem', () => {
  it('answers every address of a name, loopback for localhost', async () => {
    const addresses = await resolveWithSystem('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(['127.0.0.1', '::1']).toContain(address);
  });

  it('answers an address literal as itself', async () => {
    expect(await resolveWithSystem('127.0.0.1')).toEqual(['127.0.0.1']);
  });
});
