import { describe, expect, it } from 'vitest';
import { clientCopyIsCurrent, requiredIfMatch } from './conditional-request.ts';
import { requestErrorToProblem } from './request-error-problems.ts';
import { InvalidParametersError, PreconditionRequiredError } from './request-errors.ts';

describe('conditional requests', () => {
  it('require If-Match on a write: 428 when absent, 400 naming the header when malformed', () => {
    expect(() => requiredIfMatch(undefined)).toThrow(PreconditionRequiredError);
    expect(() => requiredIfMatch('not-a-tag')).toThrow(InvalidParametersError);
    expect(requestErrorToProblem(catchError(() => requiredIfMatch(undefined)))).toMatchObject({
      status: 428,
      type: '/problems/if-match-required',
    });
    expect(requestErrorToProblem(catchError(() => requiredIfMatch('x')))).toMatchObject({
      status: 400,
      invalidParams: [{ name: 'If-Match', reason: 'must be * or a list of quoted entity tags' }],
    });
  });

  it('read If-Match as * or a list of tags, weak ones kept for the caller to refuse', () => {
    expect(requiredIfMatch('*')).toEqual({ kind: 'any' });
    expect(requiredIfMatch('"3", W/"4"')).toEqual({
      kind: 'list',
      tags: [
        { weak: false, opaque: '3' },
        { weak: true, opaque: '4' },
      ],
    });
  });

  it('tell a current copy by weak comparison, ignoring a malformed or absent If-None-Match', () => {
    expect(clientCopyIsCurrent('W/"5"', '5')).toBe(true);
    expect(clientCopyIsCurrent('"4", "5"', '5')).toBe(true);
    expect(clientCopyIsCurrent('*', '5')).toBe(true);
    expect(clientCopyIsCurrent('"4"', '5')).toBe(false);
    expect(clientCopyIsCurrent('garbage', '5')).toBe(false);
    expect(clientCopyIsCurrent(undefined, '5')).toBe(false);
  });

  it('leave any other error to the module (undefined)', () => {
    expect(requestErrorToProblem(new Error('other'))).toBeUndefined();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
