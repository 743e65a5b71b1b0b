// The Profile use cases. Writes run in a bounded transaction on the writer; reads go to a reader
// (a replica when there is one), as in the seed's read replica pattern. A single profile is read
// from the writer when the reader's copy may be behind (see get; src/db/read-confirming-on-writer.ts).
// Every use case acts for an owner (the caller's client id, a plain string to this module) and sees
// only that owner's profiles.
import type { ConnectionManager, TxManager } from '../../db/connection-pool.ts';
import type { Querier } from '../../db/querier.ts';
import { readConfirmingOnWriter } from '../../db/read-confirming-on-writer.ts';
import type { Clock } from '../../platform/clock.ts';
import { noopCounter, type Counter } from '../../platform/counter.ts';
import type { IdGenerator } from '../../platform/ids.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import { ProfileNotFoundError, ProfileVersionMismatchError } from './profile-errors.ts';
import type { ProfilePosition, ProfileStore } from './profile-store.ts';
import {
  assertExpectedVersion,
  newProfile,
  patchProfile,
  replaceProfile,
  type ExpectedVersion,
  type Profile,
  type ProfileFields,
  type ProfilePatch,
} from './profile.ts';

export interface ProfileServiceDeps {
  db: TxManager & ConnectionManager;
  /** Builds a store on a pool or on an open transaction, seeing only `ownerId`'s profiles. */
  storeOn: (querier: Querier, ownerId: string) => ProfileStore;
  clock: Clock;
  ids: IdGenerator;
  txTimeoutMs: number;
  /** A span per use case; none by default. */
  tracer?: Tracer;
  /** Counts profiles created (the `profiles.created` business metric). */
  created?: Counter;
}

export interface OffsetPage {
  items: Profile[];
  totalItems: number;
}

/**
 * One cursor page and where its neighbours start. A neighbour starts at the page's edge (its first
 * or last item; for an empty page, the position it was asked from) and is undefined when no live
 * profile lies beyond that edge, so a walk never stops early and never hits a dead end.
 */
export interface CursorPage {
  items: Profile[];
  /** Continue here for older profiles (`after`). */
  older: ProfilePosition | undefined;
  /** Continue here for newer profiles (`before`). */
  newer: ProfilePosition | undefined;
}

export type CursorRequest =
  | { limit: number; after?: undefined; before?: undefined }
  | { limit: number; after: ProfilePosition; before?: undefined }
  | { limit: number; after?: undefined; before: ProfilePosition };

export class ProfileService {
  readonly #deps: ProfileServiceDeps;
  readonly #tracer: Tracer;
  readonly #created: Counter;

  constructor(deps: ProfileServiceDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
    this.#created = deps.created ?? noopCounter;
  }

  create(owner: string, fields: ProfileFields): Promise<Profile> {
    return this.#tracer.inSpan('ProfileService.create', async () => {
      const profile = newProfile(fields, this.#deps.ids.next(), this.#deps.clock.now());
      await this.#write(owner, (store) => store.insert(profile));
      this.#created.add();
      return profile;
    });
  }

  /**
   * One profile, from a reader when its copy will do. A reader may lag behind the writer, so the
   * writer settles two cases: the reader has no such profile (it may not have replayed the insert
   * yet), or its copy is older than `seenVersion`, the newest version the caller has already seen.
   * An answer therefore never goes back behind what the caller proved it has seen. With the writer
   * unreachable, the reader's "not found" stands when the caller named no version; otherwise the
   * ConnectionError does, as only the writer could answer correctly.
   */
  get(owner: string, id: string, seenVersion?: number): Promise<Profile> {
    return this.#tracer.inSpan('ProfileService.get', () => this.#get(owner, id, seenVersion));
  }

  replace(owner: string, id: string, expected: ExpectedVersion, fields: ProfileFields): Promise<Profile> {
    return this.#tracer.inSpan('ProfileService.replace', () =>
      this.#update(owner, id, expected, (current) => replaceProfile(current, fields, this.#deps.clock.now())),
    );
  }

  patch(owner: string, id: string, expected: ExpectedVersion, patch: ProfilePatch): Promise<Profile> {
    return this.#tracer.inSpan('ProfileService.patch', () =>
      this.#update(owner, id, expected, (current) => patchProfile(current, patch, this.#deps.clock.now())),
    );
  }

  delete(owner: string, id: string, expected: ExpectedVersion): Promise<void> {
    return this.#tracer.inSpan('ProfileService.delete', () =>
      this.#write(owner, (store) =>
        retryingAnyVersion(expected, () =>
          store.softDelete(id, (current) => assertExpectedVersion(current, expected), this.#deps.clock.now()),
        ),
      ),
    );
  }

  listByOffset(owner: string, page: number, pageSize: number): Promise<OffsetPage> {
    return this.#tracer.inSpan('ProfileService.listByOffset', () =>
      this.#readStore(owner).listByOffset((page - 1) * pageSize, pageSize),
    );
  }

  listByCursor(owner: string, request: CursorRequest): Promise<CursorPage> {
    return this.#tracer.inSpan('ProfileService.listByCursor', () => this.#listByCursor(owner, request));
  }

  async #get(owner: string, id: string, seenVersion: number | undefined): Promise<Profile> {
    const current = await readConfirmingOnWriter(
      this.#deps.db,
      (querier) => this.#deps.storeOn(querier, owner).findById(id),
      seenVersion === undefined ? undefined : (copy) => copy.version >= seenVersion,
    );
    if (!current) throw new ProfileNotFoundError(id);
    return current;
  }

  async #listByCursor(owner: string, request: CursorRequest): Promise<CursorPage> {
    const store = this.#readStore(owner);
    const beyond = async (edge: ProfilePosition | undefined, direction: 'older' | 'newer') =>
      edge && (await store.existsBeyond(edge, direction)) ? edge : undefined;
    // One extra row tells whether the page in the walking direction has a successor; the other
    // direction is checked from the page's edge, so a walk ends exactly where the rows do.
    if (request.before) {
      const rows = await store.listNewerThan(request.before, request.limit + 1);
      const items = rows.slice(-request.limit);
      return {
        items,
        newer: rows.length > request.limit ? items[0] : undefined,
        older: await beyond(items.at(-1) ?? request.before, 'older'),
      };
    }
    const rows = await store.listOlderThan(request.after, request.limit + 1);
    const items = rows.slice(0, request.limit);
    return {
      items,
      older: rows.length > request.limit ? items.at(-1) : undefined,
      newer: request.after ? await beyond(items[0] ?? request.after, 'newer') : undefined,
    };
  }

  #update(
    owner: string,
    id: string,
    expected: ExpectedVersion,
    change: (current: Profile) => Profile,
  ): Promise<Profile> {
    return this.#write(owner, (store) =>
      retryingAnyVersion(expected, () =>
        store.update(id, (current) => {
          assertExpectedVersion(current, expected);
          return change(current);
        }),
      ),
    );
  }

  #readStore(owner: string): ProfileStore {
    return this.#deps.storeOn(this.#deps.db.reader(), owner);
  }

  #write<T>(owner: string, work: (store: ProfileStore) => Promise<T>): Promise<T> {
    return this.#deps.db.withTimeoutTx(this.#deps.txTimeoutMs, (tx) => work(this.#deps.storeOn(tx, owner)));
  }
}

/** Attempts of a write with `If-Match: *` that keeps losing the race to concurrent writers. */
const ANY_VERSION_ATTEMPTS = 5;

/**
 * A writer that expects a particular version loses to a concurrent change (412). One that accepts
 * any version (`If-Match: *`) has not lost anything: the conditional write is tried again on the
 * version that won, in the same transaction (each statement sees the latest commit).
 */
async function retryingAnyVersion<T>(expected: ExpectedVersion, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const lostRace = error instanceof ProfileVersionMismatchError;
      if (!lostRace || expected.kind !== 'any' || attempt >= ANY_VERSION_ATTEMPTS) throw error;
    }
  }
}
