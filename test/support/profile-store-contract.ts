// What every ProfileStore must do, as one suite an adapter's test runs against its own database:
//
//   describeEachDatabase('sql profile store', (db) => {
//     profileStoreContract({
//       pool: () => db.pool,
//       storeOn: createSqlProfileStore,
//       empty: () => db.pool.writer().query('DELETE FROM profiles'),
//     });
//   });
import { v7 as uuidv7 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/db/connection-pool.ts';
import type { Querier } from '../../src/db/querier.ts';
import {
  EmailAlreadyUsedError,
  ProfileNotFoundError,
  ProfileVersionMismatchError,
} from '../../src/profile/domain/profile-errors.ts';
import type { ProfileStore } from '../../src/profile/domain/profile-store.ts';
import type { Profile } from '../../src/profile/domain/profile.ts';

export interface ProfileStoreContractOptions {
  /** The test's database. */
  pool: () => ConnectionPool;
  /** The adapter under test, built on a pool, a pinned connection or an open transaction, for one owner. */
  storeOn: (querier: Querier, ownerId: string) => ProfileStore;
  /** Removes every profile, live or deleted; runs before each test. */
  empty: () => Promise<unknown>;
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let counter = 0;

function profile(overrides: Partial<Profile> = {}): Profile {
  counter += 1;
  const createdAt = new Date(T0 + counter * 1000);
  return {
    id: uuidv7(),
    name: `Stored person ${counter}`,
    email: `stored-${counter}@example.com`,
    age: 20 + (counter % 50),
    version: 1,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

const renamed =
  (name: string) =>
  (current: Profile): Profile => ({
    ...current,
    name,
    version: current.version + 1,
    updatedAt: new Date(current.updatedAt.getTime() + 1000),
  });

/**
 * A querier that lets `interference` run (on another connection) right before the store's first
 * write statement: exactly the moment a concurrent writer would slip in between read and write.
 */
function interleaved(querier: Querier, interference: () => Promise<unknown>): Querier {
  let pending = true;
  return {
    async query(sql, params) {
      if (pending && !/^\s*SELECT\b/i.test(sql)) {
        pending = false;
        await interference();
      }
      return querier.query(sql, params);
    },
  };
}

/** Newest first: (createdAt DESC, id DESC). */
function newestFirst(profiles: readonly Profile[]): Profile[] {
  return [...profiles].sort((a, b) =>
    a.createdAt.getTime() === b.createdAt.getTime()
      ? a.id < b.id
        ? 1
        : -1
      : b.createdAt.getTime() - a.createdAt.getTime(),
  );
}

const OWNER = 'owner-a';
const OTHER_OWNER = 'owner-b';

export function profileStoreContract({ pool, storeOn: storeFor, empty }: ProfileStoreContractOptions): void {
  const storeOn = (querier: Querier) => storeFor(querier, OWNER);
  const store = () => storeOn(pool().writer());
  const othersStore = () => storeFor(pool().writer(), OTHER_OWNER);

  beforeEach(empty);

  async function inserted(...profiles: Profile[]): Promise<Profile[]> {
    for (const each of profiles) await store().insert(each);
    return profiles;
  }

  describe('insert and findById', () => {
    it('round-trips every field', async () => {
      const [stored] = await inserted(profile({ name: 'Zoë 🙂 Ünïcode', age: null }));
      expect(await store().findById(stored!.id)).toEqual(stored);
    });

    it('finds nothing for an unknown id', async () => {
      expect(await store().findById(uuidv7())).toBeUndefined();
    });

    it('refuses a live email in any case with EmailAlreadyUsedError, and accepts it once that profile is deleted', async () => {
      const [first] = await inserted(profile({ email: 'Same.Person@Example.com' }));
      await expect(store().insert(profile({ email: 'same.person@example.COM' }))).rejects.toBeInstanceOf(
        EmailAlreadyUsedError,
      );
      await store().softDelete(first!.id, () => undefined, new Date());
      await store().insert(profile({ email: 'same.person@example.COM' }));
    });

    it('works inside a transaction, and rolls back with it', async () => {
      const rolledBack = profile();
      await expect(
        pool().withTx(async (tx) => {
          await storeOn(tx).insert(rolledBack);
          expect(await storeOn(tx).findById(rolledBack.id)).toEqual(rolledBack);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await store().findById(rolledBack.id)).toBeUndefined();
    });
  });

  describe("another owner's profiles", () => {
    it('are neither found, changed, deleted nor listed', async () => {
      const [mine] = await inserted(profile());
      const others = othersStore();
      expect(await others.findById(mine!.id)).toBeUndefined();
      await expect(
        others.update(mine!.id, (current) => ({ ...current, name: 'Taken over' })),
      ).rejects.toBeInstanceOf(ProfileNotFoundError);
      await expect(others.softDelete(mine!.id, () => undefined, new Date())).rejects.toBeInstanceOf(
        ProfileNotFoundError,
      );
      expect(await others.listByOffset(0, 10)).toEqual({ items: [], totalItems: 0 });
      expect(await others.listOlderThan(undefined, 10)).toEqual([]);
      expect(await others.existsBeyond({ createdAt: new Date(0), id: mine!.id }, 'newer')).toBe(false);
      expect(await store().findById(mine!.id)).toEqual(mine);
    });

    it('may use the same email: uniqueness is per owner, so a 409 reveals nothing about others', async () => {
      await inserted(profile({ email: 'shared@example.com' }));
      await othersStore().insert(profile({ email: 'shared@example.com' }));
    });
  });

  describe('update', () => {
    it('writes what change returns and hands it back', async () => {
      const [stored] = await inserted(profile());
      const updated = await store().update(stored!.id, renamed('Another Name'));
      expect(updated).toMatchObject({ name: 'Another Name', version: 2 });
      expect(await store().findById(stored!.id)).toEqual(updated);
    });

    it('writes nothing when change returns the current profile', async () => {
      const [stored] = await inserted(profile());
      const writes: string[] = [];
      const watching: Querier = {
        query: (sql, params) => {
          if (!/^\s*SELECT\b/i.test(sql)) writes.push(sql);
          return pool().writer().query(sql, params);
        },
      };
      expect(await storeOn(watching).update(stored!.id, (current) => current)).toEqual(stored);
      expect(writes).toEqual([]);
    });

    it('throws ProfileNotFoundError for an unknown or deleted profile, without calling change', async () => {
      const [stored] = await inserted(profile());
      await store().softDelete(stored!.id, () => undefined, new Date());
      for (const id of [uuidv7(), stored!.id]) {
        await expect(
          store().update(id, () => {
            throw new Error('change must not run');
          }),
        ).rejects.toBeInstanceOf(ProfileNotFoundError);
      }
    });

    it('lets an error of change through and writes nothing', async () => {
      const [stored] = await inserted(profile());
      await expect(
        store().update(stored!.id, () => {
          throw new ProfileVersionMismatchError(stored!.id, 1);
        }),
      ).rejects.toBeInstanceOf(ProfileVersionMismatchError);
      expect(await store().findById(stored!.id)).toEqual(stored);
    });

    it('writes only if nobody changed the row since it was read: the concurrent change survives', async () => {
      const [stored] = await inserted(profile());
      const racing = storeOn(
        interleaved(pool().writer(), () => store().update(stored!.id, renamed('Concurrent Winner'))),
      );
      const lost = racing.update(stored!.id, renamed('Late Loser'));
      await expect(lost).rejects.toBeInstanceOf(ProfileVersionMismatchError);
      await expect(lost).rejects.toMatchObject({ currentVersion: 2 });
      expect(await store().findById(stored!.id)).toMatchObject({ name: 'Concurrent Winner', version: 2 });
    });

    it('throws ProfileNotFoundError when the row was deleted between read and write', async () => {
      const [stored] = await inserted(profile());
      const racing = storeOn(
        interleaved(pool().writer(), () => store().softDelete(stored!.id, () => undefined, new Date())),
      );
      await expect(racing.update(stored!.id, renamed('Too Late'))).rejects.toBeInstanceOf(
        ProfileNotFoundError,
      );
    });

    it("refuses another live profile's email with EmailAlreadyUsedError", async () => {
      const [taken, stored] = await inserted(profile(), profile());
      await expect(
        store().update(stored!.id, (current) => ({
          ...current,
          email: taken!.email.toUpperCase(),
          version: current.version + 1,
        })),
      ).rejects.toBeInstanceOf(EmailAlreadyUsedError);
    });
  });

  describe('softDelete', () => {
    it('hides the profile from every read, keeping the row', async () => {
      const [stored, other] = await inserted(profile(), profile());
      await store().softDelete(stored!.id, () => undefined, new Date(T0));
      expect(await store().findById(stored!.id)).toBeUndefined();
      expect(await store().listByOffset(0, 10)).toEqual({ items: [other], totalItems: 1 });
      expect(await store().listOlderThan(undefined, 10)).toEqual([other]);
      const { rows } = await pool()
        .writer()
        .query<{ deleted_at: Date }>('SELECT deleted_at FROM profiles WHERE id = $1', [stored!.id]);
      expect(rows).toEqual([{ deleted_at: new Date(T0) }]);
    });

    it('lets check veto the deletion', async () => {
      const [stored] = await inserted(profile());
      await expect(
        store().softDelete(
          stored!.id,
          (current) => {
            throw new ProfileVersionMismatchError(current.id, current.version);
          },
          new Date(),
        ),
      ).rejects.toBeInstanceOf(ProfileVersionMismatchError);
      expect(await store().findById(stored!.id)).toEqual(stored);
    });

    it('throws ProfileNotFoundError for an unknown or already deleted profile', async () => {
      const [stored] = await inserted(profile());
      await store().softDelete(stored!.id, () => undefined, new Date());
      for (const id of [uuidv7(), stored!.id]) {
        await expect(store().softDelete(id, () => undefined, new Date())).rejects.toBeInstanceOf(
          ProfileNotFoundError,
        );
      }
    });

    it('deletes only the version it checked: a concurrent change wins', async () => {
      const [stored] = await inserted(profile());
      const racing = storeOn(
        interleaved(pool().writer(), () => store().update(stored!.id, renamed('Changed Meanwhile'))),
      );
      await expect(racing.softDelete(stored!.id, () => undefined, new Date())).rejects.toMatchObject({
        currentVersion: 2,
      });
      expect(await store().findById(stored!.id)).toMatchObject({ name: 'Changed Meanwhile' });
    });
  });

  describe('listing', () => {
    /** Seven profiles; four share one createdAt so their order is decided by id. */
    async function seeded(): Promise<Profile[]> {
      const tie = new Date(T0 + 10_000_000);
      const profiles = [
        profile(),
        profile(),
        profile({ createdAt: tie, updatedAt: tie }),
        profile({ createdAt: tie, updatedAt: tie }),
        profile({ createdAt: tie, updatedAt: tie }),
        profile({ createdAt: tie, updatedAt: tie }),
        profile({ createdAt: new Date(T0 + 20_000_000) }),
      ];
      await inserted(...[...profiles].reverse());
      return newestFirst(profiles);
    }

    it('listByOffset: newest first with the live total, also past the end and on an empty table', async () => {
      expect(await store().listByOffset(0, 5)).toEqual({ items: [], totalItems: 0 });
      const rows = await seeded();
      expect(await store().listByOffset(0, 3)).toEqual({ items: rows.slice(0, 3), totalItems: 7 });
      expect(await store().listByOffset(3, 3)).toEqual({ items: rows.slice(3, 6), totalItems: 7 });
      expect(await store().listByOffset(6, 3)).toEqual({ items: rows.slice(6), totalItems: 7 });
      expect(await store().listByOffset(30, 3)).toEqual({ items: [], totalItems: 7 });
    });

    it('listOlderThan: from the start, or strictly after a position, ties broken by id', async () => {
      const rows = await seeded();
      expect(await store().listOlderThan(undefined, 4)).toEqual(rows.slice(0, 4));
      for (let index = 0; index < rows.length; index += 1) {
        expect(await store().listOlderThan(rows[index], 3), `after row ${index}`).toEqual(
          rows.slice(index + 1, index + 4),
        );
      }
    });

    it('listNewerThan: the closest newer rows, returned newest first', async () => {
      const rows = await seeded();
      for (let index = 0; index < rows.length; index += 1) {
        expect(await store().listNewerThan(rows[index]!, 3), `before row ${index}`).toEqual(
          rows.slice(Math.max(0, index - 3), index),
        );
      }
    });

    it('existsBeyond: false only past the newest and the oldest rows', async () => {
      const rows = await seeded();
      expect(await store().existsBeyond(rows[0]!, 'newer')).toBe(false);
      expect(await store().existsBeyond(rows[0]!, 'older')).toBe(true);
      expect(await store().existsBeyond(rows.at(-1)!, 'older')).toBe(false);
      expect(await store().existsBeyond(rows.at(-1)!, 'newer')).toBe(true);
      expect(await store().existsBeyond(rows[3]!, 'older')).toBe(true);
    });

    it("a deleted row's position still works as a boundary, and the row is never listed", async () => {
      const rows = await seeded();
      const gone = rows[3]!;
      await store().softDelete(gone.id, () => undefined, new Date());
      const live = rows.filter((row) => row.id !== gone.id);
      expect(await store().listOlderThan(gone, 10)).toEqual(rows.slice(4));
      expect(await store().listNewerThan(gone, 10)).toEqual(rows.slice(0, 3));
      expect(await store().listOlderThan(undefined, 10)).toEqual(live);
      expect(await store().listNewerThan(rows.at(-1)!, 10)).toEqual(live.slice(0, -1));
    });
  });
}
