import { describe, expect, it } from 'vitest';
import { createSystemResolver, resolveWithSystem } from './system-resolver.ts';

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

describe('createSystemResolver', () => {
  it('asks for every address of both families, in the order given', async () => {
    const asked: unknown[] = [];
    const resolve = createSystemResolver({
      lookup: (hostname, options) => {
        asked.push([hostname, options]);
        return Promise.resolve([{ address: '2001:db8::1' }, { address: '192.0.2.1' }]);
      },
    });
    expect(await resolve('pix.example.com')).toEqual(['2001:db8::1', '192.0.2.1']);
    expect(asked).toEqual([['pix.example.com', { all: true, verbatim: true }]]);
  });

  it('passes a lookup failure on', async () => {
    const resolve = createSystemResolver({
      lookup: () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })),
    });
    await expect(resolve('x')).rejects.toThrow('ENOTFOUND');
  });

  it('gives up on a lookup that does not answer', async () => {
    const resolve = createSystemResolver({ lookup: () => new Promise(() => undefined), timeoutMs: 1 });
    await expect(resolve('slow.example.com')).rejects.toThrow('resolving slow.example.com took over 1ms');
  });
});
