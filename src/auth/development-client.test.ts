// The embedded development client: made once, and widened at later starts to the scopes of modules
// added since (on PGlite and PostgreSQL).
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/database/describe-each-database.ts';
import { TEST_SCRYPT } from '../../test/support/test-auth.ts';
import { systemClock } from '../platform/clock.ts';
import { uuidV7Generator } from '../platform/ids.ts';
import { createClientAdmin } from './create-auth.ts';

describeEachDatabase('development client', { isolation: 'test' }, (db) => {
  const admin = (scopes: readonly string[]) =>
    createClientAdmin({ db: db.pool, clock: systemClock, ids: uuidV7Generator, scrypt: TEST_SCRYPT, scopes });
  const BEFORE = ['profile.read', 'profile.write'];
  const AFTER = ['cob.read', 'cob.write', 'profile.read', 'profile.write'];

  it('is made with every scope at the first start only', async () => {
    const created = await admin(BEFORE).ensureDevelopmentClient('development');
    expect(created?.client.scopes).toEqual(BEFORE);
    expect(created?.secret).toBeTruthy();
    expect(await admin(BEFORE).ensureDevelopmentClient('development')).toBeUndefined();
    expect(await admin(BEFORE).list()).toHaveLength(1);
  });

  it('gains the scopes of a module added since, keeping its own; other and revoked clients keep theirs', async () => {
    const first = await admin(BEFORE).ensureDevelopmentClient('development');
    const other = await admin(BEFORE).create('report job', ['profile.read']);
    const revoked = await admin(BEFORE).create('development', ['profile.read']);
    await admin(BEFORE).revoke(revoked.client.id);

    expect(await admin(AFTER).ensureDevelopmentClient('development')).toBeUndefined();
    const byId = new Map((await admin(AFTER).list()).map((client) => [client.id, client.scopes]));
    expect(byId.get(first!.client.id)).toEqual(AFTER);
    expect(byId.get(other.client.id)).toEqual(['profile.read']);
    expect(byId.get(revoked.client.id)).toEqual(['profile.read']);
  });

  it('refuses a scope no contract requires', async () => {
    await expect(admin(BEFORE).create('x', ['cob.read'])).rejects.toThrow(/cob\.read/);
  });
});
