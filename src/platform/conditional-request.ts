// Reading the conditional request headers (RFC 9110 13.1) the same way in every HTTP adapter: a
// write requires If-Match (428 when absent, 400 when malformed); If-None-Match tells whether the
// client's copy is current (304). What an entity tag's opaque value means is the module's business.
import { parseEntityTagCondition, weakMatch, type EntityTagCondition } from './entity-tag.ts';
import { InvalidParametersError, PreconditionRequiredError } from './request-errors.ts';

/** If-Match of a write: its condition; PreconditionRequiredError when absent, InvalidParametersError when malformed. */
export function requiredIfMatch(ifMatch: string | undefined): EntityTagCondition {
  if (ifMatch === undefined) throw new PreconditionRequiredError();
  const condition = parseEntityTagCondition(ifMatch);
  if (!condition) {
    throw new InvalidParametersError([
      { name: 'If-Match', reason: 'must be * or a list of quoted entity tags' },
    ]);
  }
  return condition;
}

/** If-None-Match: true when the client's copy (weak comparison) is the current one. Malformed headers are ignored. */
export function clientCopyIsCurrent(ifNoneMatch: string | undefined, currentOpaque: string): boolean {
  const condition = parseEntityTagCondition(ifNoneMatch);
  return condition !== undefined && weakMatch(condition, currentOpaque);
}
