import { v7 as uuidv7 } from 'uuid';

/** Injected wherever ids are made, so tests can make them predictable. */
export interface IdGenerator {
  next(): string;
}

/** UUIDv7: time-ordered, so new rows land at the right edge of a B-tree index. */
export const uuidV7Generator: IdGenerator = { next: () => uuidv7() };
