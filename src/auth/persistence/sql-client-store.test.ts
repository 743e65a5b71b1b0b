// The OAuth client store on PGlite and on PostgreSQL.
import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { ClientAlreadyExistsError } from '../domain/client-errors.ts';
import type { StoredClient } from '../domain/oauth-client.ts';
import { createSqlClientStore } from './sql-client-store.ts';

const client = (id: string, overrides: Partial<StoredClient> = {}): StoredClient => ({
  id,
  name: `client ${id}`,
  scopes: ['profile.read'],
  createdAt: new Date('2026-03-01T10:00:00.000Z'),
  revokedAt: null,
  secretHash: `scrypt$1024$8$1$salt-${id}$key`,
  ...overrides,
});

describeEachDatabase('sql client store', (db) => {
  const store = () => createSqlClientStore(db.pool.writer());
  beforeEach(() => db.pool.writer().query('DELETE FROM oauth_clients'));

  it('round-trips a client with its hash, and refuses a second client with the same id', async () => {
    await store().insert(client('a', { scopes: ['profile.read', 'profile.write'] }));
    expect(await store().findById('a')).toEqual(client('a', { scopes: ['profile.read', 'profile.write'] }));
    await expect(store().insert(client('a'))).rejects.toBeInstanceOf(ClientAlreadyExistsError);
    expect(await store().findById('b')).toBeUndefined();
  });

  it('lists every client oldest first, without secret hashes', async () => {
    await store().insert(client('late', { createdAt: new Date('2026-03-02T00:00:00.000Z') }));
    await store().insert(client('early'));
    const listed = await store().list();
    expect(listed.map((each) => each.id)).toEqual(['early', 'late']);
    expect(listed[0]).not.toHaveProperty('secretHash');
    expect(await store().count()).toBe(2);
  });

  it('revokes once (keeping the first time), says false for an unknown id, and counts revoked clients', async () => {
    await store().insert(client('a'));
    const first = new Date('2026-03-03T00:00:00.000Z');
    expect(await store().revoke('a', first)).toBe(true);
    expect(await store().revoke('a', new Date('2026-03-04T00:00:00.000Z'))).toBe(true);
    expect((await store().findById('a'))?.revokedAt).toEqual(first);
    expect(await store().revoke('nobody', first)).toBe(false);
    expect(await store().count()).toBe(1);
  });

  it('upserts: creates, then resets name, secret and scopes and lifts a revocation, keeping created_at', async () => {
    await store().upsert(client('boot'));
    await store().revoke('boot', new Date());
    await store().upsert(
      client('boot', {
        name: 'renamed',
        scopes: ['profile.write'],
        secretHash: 'new-hash',
        createdAt: new Date('2030-01-01T00:00:00.000Z'),
      }),
    );
    expect(await store().findById('boot')).toEqual(
      client('boot', { name: 'renamed', scopes: ['profile.write'], secretHash: 'new-hash' }),
    );
  });
});
