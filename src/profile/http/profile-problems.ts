// The Profile module's one problem table: each of its errors, and only here, becomes an HTTP status;
// the shared request errors (428, 400) keep the statuses src/platform/request-error-problems.ts gives them.
import type { ErrorToProblem, MappedProblem } from '../../platform/problem.ts';
import { problemType } from '../../platform/problem.ts';
import {
  EmailAlreadyUsedError,
  InvalidProfileError,
  ProfileNotFoundError,
  ProfileVersionMismatchError,
} from '../domain/profile-errors.ts';
import { etagOf } from './profile-representation.ts';
import { requestErrorToProblem } from '../../platform/request-error-problems.ts';

export const profileErrorToProblem: ErrorToProblem = (error): MappedProblem | undefined => {
  if (error instanceof ProfileNotFoundError) {
    return {
      status: 404,
      type: problemType('profile-not-found'),
      title: 'Profile not found',
      detail: error.message,
    };
  }
  if (error instanceof EmailAlreadyUsedError) {
    return {
      status: 409,
      type: problemType('email-already-used'),
      title: 'Email already used',
      detail: error.message,
      invalidParams: [{ name: 'body.email', reason: 'is already used by another profile' }],
    };
  }
  if (error instanceof ProfileVersionMismatchError) {
    return {
      status: 412,
      type: problemType('version-mismatch'),
      title: 'The profile has changed',
      detail: error.message,
      headers: { ETag: etagOf({ version: error.currentVersion }) },
    };
  }
  if (error instanceof InvalidProfileError) {
    return {
      status: 422,
      type: problemType('invalid-body'),
      title: 'The request body is invalid',
      detail: error.message,
      invalidParams: [{ name: `body.${error.field}`, reason: error.reason }],
    };
  }
  // 428 and 400 for the request errors every adapter shares.
  return requestErrorToProblem(error);
};
