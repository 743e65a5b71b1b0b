import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Injected wherever ids are made, so tests can make them predictable. */
export interface IdGenerator {
  next(): string;
}

/** UUIDv7: time-ordered, so new rows land at the right edge of a B-tree index. */
export const uuidV7Generator: IdGenerator = { next: () => uuidv7() };

/**
 * UUIDv4 from Node's own generator, which draws its randomness from a buffered pool: for ids made on
 * every request (request ids), where nothing is indexed by them and ordering buys nothing. The `uuid`
 * package asks the system for fresh random bytes per id, which the CPU profile of the GET-by-id
 * benchmark showed at 4-7% of the process's time when every request made one.
 */
export const randomUuidGenerator: IdGenerator = { next: () => randomUUID() };
