import type { IncomingMessage } from 'node:http';
import type { IdGenerator } from '../platform/ids.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

// Accepts the ids proxies and clients commonly send (UUIDs, ULIDs, hex trace ids) and nothing that
// could smuggle log or header injection.
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Honours a well-formed X-Request-Id from the client; otherwise makes a new one. */
export function requestIdGenerator(ids: IdGenerator): (request: IncomingMessage) => string {
  return (request) => {
    const offered = request.headers[REQUEST_ID_HEADER];
    return typeof offered === 'string' && WELL_FORMED.test(offered) ? offered : ids.next();
  };
}
