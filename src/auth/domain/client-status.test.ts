import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../test/support/test-clock.ts';
import type { ClientStore } from './client-store.ts';
import { CLIENT_STATUS_TTL_MS, ClientStatus } from './client-status.ts';
import type { StoredClient } from './oauth-client.ts';

function storeWith(clients: Map<string, StoredClient>): { store: ClientStore; reads: () => number } {
  let reads = 0;
  const unused = () => Promise.reject(new Error('not used'));
  const store: ClientStore = {
    findById: async (id) => {
      reads += 1;
      return clients.get(id);
    },
    insert: unused,
    upsert: unused,
    list: unused,
    revoke: unused,
    addScopesByName: () => Promise.reject(new Error('not used')),
    count: unused,
  };
  return { store, reads: () => reads };
}

const client = (revokedAt: Date | null): StoredClient => ({
  id: 'c1',
  name: 'job',
  scopes: ['profile.read'],
  createdAt: new Date(0),
  revokedAt,
  secretHash: 'scrypt$...',
});

describe('ClientStatus', () => {
  it('reads each client at most once per TTL, and sees a revocation once it has passed', async () => {
    const clients = new Map([['c1', client(null)]]);
    const { store, reads } = storeWith(clients);
    const clock = new TestClock();
    const status = new ClientStatus(store, clock);

    expect(await status.isActive('c1')).toBe(true);
    clients.set('c1', client(new Date()));
    clock.advance(CLIENT_STATUS_TTL_MS - 1);
    expect(await status.isActive('c1')).toBe(true);
    expect(reads()).toBe(1);
    clock.advance(1);
    expect(await status.isActive('c1')).toBe(false);
    expect(reads()).toBe(2);
  });

  it('counts an unknown client as inactive', async () => {
    const { store } = storeWith(new Map());
    expect(await new ClientStatus(store, new TestClock()).isActive('nobody')).toBe(false);
  });
});
