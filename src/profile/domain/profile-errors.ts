import { DomainError } from '../../platform/domain-error.ts';

export class ProfileNotFoundError extends DomainError {
  readonly code = 'profile.not_found';

  constructor(id: string) {
    super(`No profile ${id}.`);
  }
}

export class EmailAlreadyUsedError extends DomainError {
  readonly code = 'profile.email_already_used';

  constructor() {
    super('Another profile already uses this email address.');
  }
}

/** The profile changed since the writer read it (a stale If-Match). */
export class ProfileVersionMismatchError extends DomainError {
  readonly code = 'profile.version_mismatch';
  readonly currentVersion: number;

  constructor(id: string, currentVersion: number) {
    super(`Profile ${id} has changed since it was read; fetch it again and retry.`);
    this.currentVersion = currentVersion;
  }
}

export class InvalidProfileError extends DomainError {
  readonly code = 'profile.invalid';
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`${field} ${reason}.`);
    this.field = field;
    this.reason = reason;
  }
}
