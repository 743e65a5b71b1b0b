// Errors an HTTP adapter raises itself, before its domain is involved; any module's adapter may raise
// them, and `requestErrorToProblem` gives them their status.
import type { InvalidParam } from './problem.ts';

/** A write arrived without If-Match (RFC 6585's 428): lost updates are prevented, not detected. */
export class PreconditionRequiredError extends Error {
  constructor(
    message = 'This operation requires If-Match with the ETag you last read (or * for any version).',
  ) {
    super(message);
    this.name = 'PreconditionRequiredError';
  }
}

/** Parameters that pass the schema but not the operation's rules (mixed pagination modes, bad cursors). */
export class InvalidParametersError extends Error {
  readonly invalidParams: InvalidParam[];

  constructor(invalidParams: InvalidParam[]) {
    super(invalidParams.map((param) => `${param.name} ${param.reason}`).join('; '));
    this.name = 'InvalidParametersError';
    this.invalidParams = invalidParams;
  }
}
