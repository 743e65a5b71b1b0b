// The Profile module's one problem table: each of its errors, and only here, becomes an HTTP status.
import type { ErrorToProblem, MappedProblem } from '../../platform/problem.ts';
import { problemType } from '../../platform/problem.ts';
import {
  EmailAlreadyUsedError,
  InvalidProfileError,
  ProfileNotFoundError,
  ProfileVersionMismatchError,
} from '../domain/profile-errors.ts';
import { etagOf } from './profile-representation.ts';
import { InvalidParametersError, PreconditionRequiredError } from './request-errors.ts';

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
  if (error instanceof PreconditionRequiredError) {
    return {
      status: 428,
      type: problemType('if-match-required'),
      title: 'If-Match required',
      detail: error.message,
    };
  }
  if (error instanceof InvalidParametersError) {
    return {
      status: 400,
      type: problemType('invalid-parameters'),
      title: 'The request parameters are invalid',
      detail: error.message,
      invalidParams: error.invalidParams,
    };
  }
  return undefined;
};
