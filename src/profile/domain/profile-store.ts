import type { Profile } from './profile.ts';

/** A place in the newest-first order: (createdAt DESC, id DESC). */
export interface ProfilePosition {
  createdAt: Date;
  id: string;
}

/**
 * The persistence port of the Profile domain. One store is built per Querier, so a use case that
 * runs in a transaction gets a store bound to that transaction. Only live (not deleted) profiles
 * are ever returned.
 */
export interface ProfileStore {
  /** Throws EmailAlreadyUsedError when a live profile has the same email (case-insensitively). */
  insert(profile: Profile): Promise<void>;

  findById(id: string): Promise<Profile | undefined>;

  /**
   * Reads the profile, lets `change` decide its next state, and writes it only if nobody changed
   * the row in between (a conditional UPDATE on the version). Throws ProfileNotFoundError,
   * ProfileVersionMismatchError (someone else won) or whatever `change` throws.
   */
  update(id: string, change: (current: Profile) => Profile): Promise<Profile>;

  /** Like update, for soft deletion: `check` may veto by throwing. */
  softDelete(id: string, check: (current: Profile) => void, deletedAt: Date): Promise<void>;

  /** A page by offset, plus the number of live profiles. */
  listByOffset(offset: number, limit: number): Promise<{ items: Profile[]; totalItems: number }>;

  /** Up to `limit` profiles older than `position` (or the newest when absent), newest first. */
  listOlderThan(position: ProfilePosition | undefined, limit: number): Promise<Profile[]>;

  /** Up to `limit` profiles newer than `position`, the closest ones, returned newest first. */
  listNewerThan(position: ProfilePosition, limit: number): Promise<Profile[]>;

  /** Whether any live profile is older (direction 'older') or newer than `position`. */
  existsBeyond(position: ProfilePosition, direction: 'older' | 'newer'): Promise<boolean>;
}
