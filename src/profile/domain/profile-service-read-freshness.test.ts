// ProfileService.get against a reader that lags: which side answers, and what the caller sees when
// the writer cannot be reached. The two sides are stand-ins so each case is exact; the suites in
// test/read-replicas/ prove the same against real streaming replication.
import { describe, expect, it } from 'vitest';
import type { ConnectionPool } from '../../db/connection-pool.ts';
import { ConnectionError, QueryTimeoutError } from '../../db/errors.ts';
import type { Querier } from '../../db/querier.ts';
import { ProfileNotFoundError } from './profile-errors.ts';
import { ProfileService } from './profile-service.ts';
import type { ProfileStore } from './profile-store.ts';
import type { Profile } from './profile.ts';

const ID = '0190b5a0-0000-7000-8000-000000000001';
const OWNER = 'client-a';

function profileAt(version: number): Profile {
  const at = new Date('2024-07-01T00:00:00Z');
  return {
    id: ID,
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    age: null,
    version,
    createdAt: at,
    updatedAt: at,
  };
}

/** What one side holds: a profile, nothing, or an error it fails with. */
type Side = Profile | undefined | Error;

function serviceOver(reader: Side, writer: Side) {
  const asked: string[] = [];
  const readerQuerier: Querier = { query: () => Promise.reject(new Error('not used')) };
  const writerQuerier: Querier = { query: () => Promise.reject(new Error('not used')) };
  const storeOn = (querier: Querier): ProfileStore => {
    const side = querier === readerQuerier ? 'reader' : 'writer';
    const holds = side === 'reader' ? reader : writer;
    const unused = () => Promise.reject(new Error('not used'));
    return {
      findById: async (id) => {
        asked.push(side);
        if (holds instanceof Error) throw holds;
        return holds?.id === id ? holds : undefined;
      },
      insert: unused,
      update: unused,
      softDelete: unused,
      listByOffset: unused,
      listOlderThan: unused,
      listNewerThan: unused,
      existsBeyond: unused,
    };
  };
  const db = { reader: () => readerQuerier, writer: () => writerQuerier } as unknown as ConnectionPool;
  const service = new ProfileService({
    db,
    storeOn,
    clock: { now: () => new Date() },
    ids: { next: () => ID },
    txTimeoutMs: 1000,
  });
  return { service, asked };
}

describe('ProfileService.get with a reader that may lag', () => {
  it("serves the reader's copy when the caller named no version", async () => {
    const { service, asked } = serviceOver(profileAt(2), profileAt(3));
    expect((await service.get(OWNER, ID)).version).toBe(2);
    expect(asked).toEqual(['reader']);
  });

  it("serves the reader's copy when it is at least as new as the version the caller has seen", async () => {
    const { service, asked } = serviceOver(profileAt(3), profileAt(3));
    expect((await service.get(OWNER, ID, 3)).version).toBe(3);
    expect((await service.get(OWNER, ID, 2)).version).toBe(3);
    expect(asked).toEqual(['reader', 'reader']);
  });

  it('asks the writer when the reader is behind the version the caller has seen', async () => {
    const { service, asked } = serviceOver(profileAt(1), profileAt(3));
    expect((await service.get(OWNER, ID, 3)).version).toBe(3);
    expect(asked).toEqual(['reader', 'writer']);
  });

  it('asks the writer when the reader does not have the profile (yet)', async () => {
    const { service, asked } = serviceOver(undefined, profileAt(1));
    expect((await service.get(OWNER, ID)).version).toBe(1);
    expect(asked).toEqual(['reader', 'writer']);
  });

  it('answers not found only when the writer confirms it', async () => {
    const { service } = serviceOver(undefined, undefined);
    await expect(service.get(OWNER, ID)).rejects.toBeInstanceOf(ProfileNotFoundError);
  });

  it('answers with the writer even when it holds an older version than the caller names', async () => {
    // A version the service never issued (a forged or mistaken ETag): the writer's copy is the truth.
    const { service } = serviceOver(profileAt(2), profileAt(2));
    expect((await service.get(OWNER, ID, 99)).version).toBe(2);
  });

  it("keeps the reader's not found when the writer is unreachable and the caller named no version", async () => {
    const { service, asked } = serviceOver(undefined, new ConnectionError('connect ECONNREFUSED'));
    await expect(service.get(OWNER, ID)).rejects.toBeInstanceOf(ProfileNotFoundError);
    expect(asked).toEqual(['reader', 'writer']);
  });

  it('fails with the ConnectionError rather than go back behind a version the caller has seen', async () => {
    const lagging = serviceOver(profileAt(1), new ConnectionError('connect ECONNREFUSED'));
    await expect(lagging.service.get(OWNER, ID, 2)).rejects.toBeInstanceOf(ConnectionError);
    const missing = serviceOver(undefined, new ConnectionError('connect ECONNREFUSED'));
    await expect(missing.service.get(OWNER, ID, 1)).rejects.toBeInstanceOf(ConnectionError);
  });

  it("passes on the writer's other errors", async () => {
    const { service } = serviceOver(undefined, new QueryTimeoutError('statement canceled'));
    await expect(service.get(OWNER, ID)).rejects.toBeInstanceOf(QueryTimeoutError);
  });
});
