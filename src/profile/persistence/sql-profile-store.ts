// The Profile store in plain parameterized SQL over the db ports; works on a pool, a replica or an
// open transaction alike. A store is bound to one owner and every statement filters by it, so one
// client's profiles do not exist for another (object-level authorization lives in the queries).
import { UniqueViolationError } from '../../db/errors.ts';
import type { Querier } from '../../db/querier.ts';
import {
  EmailAlreadyUsedError,
  ProfileNotFoundError,
  ProfileVersionMismatchError,
} from '../domain/profile-errors.ts';
import type { ProfilePosition, ProfileStore } from '../domain/profile-store.ts';
import type { Profile } from '../domain/profile.ts';

const EMAIL_UNIQUE_INDEX = 'profiles_owner_email_live_key';
const COLUMNS = 'id, name, email, age, version, created_at, updated_at';

interface ProfileRow {
  id: string;
  name: string;
  email: string;
  age: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function createSqlProfileStore(db: Querier, ownerId: string): ProfileStore {
  async function findById(id: string): Promise<Profile | undefined> {
    const { rows } = await db.query<ProfileRow>(
      `SELECT ${COLUMNS} FROM profiles WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`,
      [id, ownerId],
    );
    return rows[0] && toProfile(rows[0]);
  }

  /** After a conditional write touched no row: say whether the profile is gone or moved on. */
  async function explainLostRace(id: string): Promise<never> {
    const current = await findById(id);
    if (!current) throw new ProfileNotFoundError(id);
    throw new ProfileVersionMismatchError(id, current.version);
  }

  return {
    findById,

    async insert(profile) {
      try {
        await db.query(
          `INSERT INTO profiles (${COLUMNS}, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            profile.id,
            profile.name,
            profile.email,
            profile.age,
            profile.version,
            profile.createdAt,
            profile.updatedAt,
            ownerId,
          ],
        );
      } catch (error) {
        throw translateWriteError(error);
      }
    },

    async update(id, change) {
      const current = await findById(id);
      if (!current) throw new ProfileNotFoundError(id);
      const next = change(current);
      if (next === current) return current;
      let rowCount: number;
      try {
        ({ rowCount } = await db.query(
          `UPDATE profiles SET name = $3, email = $4, age = $5, version = $6, updated_at = $7
            WHERE id = $1 AND owner_id = $8 AND version = $2 AND deleted_at IS NULL`,
          [id, current.version, next.name, next.email, next.age, next.version, next.updatedAt, ownerId],
        ));
      } catch (error) {
        throw translateWriteError(error);
      }
      if (rowCount === 0) return explainLostRace(id);
      return next;
    },

    async softDelete(id, check, deletedAt) {
      const current = await findById(id);
      if (!current) throw new ProfileNotFoundError(id);
      check(current);
      const { rowCount } = await db.query(
        `UPDATE profiles SET deleted_at = $3, version = version + 1
          WHERE id = $1 AND owner_id = $4 AND version = $2 AND deleted_at IS NULL`,
        [id, current.version, deletedAt, ownerId],
      );
      if (rowCount === 0) await explainLostRace(id);
    },

    async listByOffset(offset, limit) {
      // Two statements, not a count(*) OVER () riding along with the page: the window count makes
      // PostgreSQL build every row of the owner's list (all columns) before it can skip to the page,
      // which at 100,000 profiles was 15 requests a second. The count alone is an index-only scan;
      // the page reads its offset in the index and only its own rows. A write landing between the two
      // can make the total differ from the page by that write, as any later page would anyway.
      const { rows } = await db.query<ProfileRow>(
        `SELECT ${COLUMNS} FROM profiles
          WHERE owner_id = $3 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [limit, offset, ownerId],
      );
      const count = await db.query<{ total_items: string }>(
        'SELECT count(*) AS total_items FROM profiles WHERE owner_id = $1 AND deleted_at IS NULL',
        [ownerId],
      );
      return { items: rows.map(toProfile), totalItems: Number(count.rows[0]?.total_items ?? 0) };
    },

    async listOlderThan(position, limit) {
      const { rows } = position
        ? await db.query<ProfileRow>(
            `SELECT ${COLUMNS} FROM profiles
              WHERE owner_id = $4 AND deleted_at IS NULL AND (created_at, id) < ($1, $2)
              ORDER BY created_at DESC, id DESC LIMIT $3`,
            [position.createdAt, position.id, limit, ownerId],
          )
        : await db.query<ProfileRow>(
            `SELECT ${COLUMNS} FROM profiles WHERE owner_id = $2 AND deleted_at IS NULL
              ORDER BY created_at DESC, id DESC LIMIT $1`,
            [limit, ownerId],
          );
      return rows.map(toProfile);
    },

    async listNewerThan(position, limit) {
      const { rows } = await db.query<ProfileRow>(
        `SELECT ${COLUMNS} FROM profiles
          WHERE owner_id = $4 AND deleted_at IS NULL AND (created_at, id) > ($1, $2)
          ORDER BY created_at ASC, id ASC LIMIT $3`,
        [position.createdAt, position.id, limit, ownerId],
      );
      return rows.map(toProfile).reverse();
    },

    async existsBeyond(position: ProfilePosition, direction) {
      const comparison = direction === 'older' ? '<' : '>';
      const { rows } = await db.query<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM profiles
          WHERE owner_id = $3 AND deleted_at IS NULL AND (created_at, id) ${comparison} ($1, $2)) AS found`,
        [position.createdAt, position.id, ownerId],
      );
      return rows[0]?.found === true;
    },
  };
}

function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    age: row.age,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function translateWriteError(error: unknown): unknown {
  if (error instanceof UniqueViolationError && error.constraint === EMAIL_UNIQUE_INDEX) {
    return new EmailAlreadyUsedError();
  }
  return error;
}
