// The replica-lag rule on its own, over stand-in reader and writer doors so each case is exact:
// which doors are asked, which answer wins, and what a caller sees when the writer is unreachable.
import { describe, expect, it } from 'vitest';
import type { ConnectionManager } from './connection-pool.ts';
import { ConnectionError, QueryTimeoutError } from './errors.ts';
import type { Querier } from './querier.ts';
import { readConfirmingOnWriter } from './read-confirming-on-writer.ts';

interface Row {
  id: string;
  version: number;
}

/** What one side holds: a row, nothing, or an error it fails with. */
type Side = Row | undefined | Error;

function sides(reader: Side, writer: Side) {
  const asked: string[] = [];
  const readerDoor: Querier = { query: () => Promise.reject(new Error('not used')) };
  const writerDoor: Querier = { query: () => Promise.reject(new Error('not used')) };
  const db: ConnectionManager = { reader: () => readerDoor, writer: () => writerDoor };
  const read = async (querier: Querier): Promise<Row | undefined> => {
    const side = querier === readerDoor ? 'reader' : 'writer';
    asked.push(side);
    const holds = side === 'reader' ? reader : writer;
    if (holds instanceof Error) throw holds;
    return holds;
  };
  return { db, read, asked };
}

const atLeast = (version: number) => (row: Row) => row.version >= version;
const unreachable = () => new ConnectionError('connect ECONNREFUSED');

describe('readConfirmingOnWriter', () => {
  it('answers from the reader when it holds a copy and no freshness is asked, or a fresh one', async () => {
    const plain = sides({ id: 'a', version: 1 }, { id: 'a', version: 2 });
    expect(await readConfirmingOnWriter(plain.db, plain.read)).toEqual({ id: 'a', version: 1 });
    expect(plain.asked).toEqual(['reader']);

    const fresh = sides({ id: 'a', version: 2 }, { id: 'a', version: 3 });
    expect(await readConfirmingOnWriter(fresh.db, fresh.read, atLeast(2))).toEqual({ id: 'a', version: 2 });
    expect(fresh.asked).toEqual(['reader']);
  });

  it("confirms a reader's miss on the writer, which may hold a row the reader has not replayed", async () => {
    const lagging = sides(undefined, { id: 'a', version: 1 });
    expect(await readConfirmingOnWriter(lagging.db, lagging.read)).toEqual({ id: 'a', version: 1 });
    expect(lagging.asked).toEqual(['reader', 'writer']);

    const absent = sides(undefined, undefined);
    expect(await readConfirmingOnWriter(absent.db, absent.read, atLeast(1))).toBeUndefined();
    expect(absent.asked).toEqual(['reader', 'writer']);
  });

  it("replaces a stale copy with the writer's, never answering behind what the caller has seen", async () => {
    const stale = sides({ id: 'a', version: 1 }, { id: 'a', version: 3 });
    expect(await readConfirmingOnWriter(stale.db, stale.read, atLeast(2))).toEqual({ id: 'a', version: 3 });
    expect(stale.asked).toEqual(['reader', 'writer']);

    const gone = sides({ id: 'a', version: 1 }, undefined);
    expect(await readConfirmingOnWriter(gone.db, gone.read, atLeast(2))).toBeUndefined();
  });

  it("lets the reader's miss stand when the writer is unreachable and no freshness was asked", async () => {
    const down = sides(undefined, unreachable());
    expect(await readConfirmingOnWriter(down.db, down.read)).toBeUndefined();
    expect(down.asked).toEqual(['reader', 'writer']);
  });

  it('fails with the ConnectionError when only the writer could answer the freshness asked', async () => {
    const staleDown = sides({ id: 'a', version: 1 }, unreachable());
    await expect(readConfirmingOnWriter(staleDown.db, staleDown.read, atLeast(2))).rejects.toBeInstanceOf(
      ConnectionError,
    );
    const missDown = sides(undefined, unreachable());
    await expect(readConfirmingOnWriter(missDown.db, missDown.read, atLeast(1))).rejects.toBeInstanceOf(
      ConnectionError,
    );
  });

  it("passes on any other writer failure, and the reader's own failures", async () => {
    const slow = sides(undefined, new QueryTimeoutError('canceling statement due to statement timeout'));
    await expect(readConfirmingOnWriter(slow.db, slow.read)).rejects.toBeInstanceOf(QueryTimeoutError);
    const readerDown = sides(unreachable(), { id: 'a', version: 1 });
    await expect(readConfirmingOnWriter(readerDown.db, readerDown.read)).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(readerDown.asked).toEqual(['reader']);
  });
});
