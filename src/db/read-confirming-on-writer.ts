// Reads from a replica that may lag behind the writer, as in the read replica pattern, without ever
// answering behind what the caller knows: a miss on the reader may be an insert it has not replayed
// yet, and a copy older than the caller has seen is stale, so in both cases the writer settles it.
// Any module's domain or persistence can use it; it knows only the connection manager port.
import type { ConnectionManager } from './connection-pool.ts';
import { ConnectionError } from './errors.ts';
import type { Querier } from './querier.ts';

/**
 * `read` on the reader; the same `read` on the writer when the reader found nothing, or found a copy
 * `isFresh` rejects (say, a version older than the caller has already seen). With the writer
 * unreachable (ConnectionError), a reader's miss stands when the caller asked for no freshness
 * (`isFresh` absent): nothing proves the row exists. A caller with a freshness requirement gets the
 * ConnectionError, as only the writer could answer it correctly; so does any other error.
 */
export async function readConfirmingOnWriter<T>(
  db: ConnectionManager,
  read: (querier: Querier) => Promise<T | undefined>,
  isFresh?: (found: T) => boolean,
): Promise<T | undefined> {
  const copy = await read(db.reader());
  if (copy !== undefined && (isFresh === undefined || isFresh(copy))) return copy;
  try {
    return await read(db.writer());
  } catch (error) {
    if (error instanceof ConnectionError && isFresh === undefined) return undefined;
    throw error;
  }
}
