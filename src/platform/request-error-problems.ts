// The statuses of the request errors every HTTP adapter shares (src/platform/request-errors.ts); a
// module's problem table falls back to this one after its own domain errors.
import { problemType, type ErrorToProblem, type MappedProblem } from './problem.ts';
import { InvalidParametersError, PreconditionRequiredError } from './request-errors.ts';

export const requestErrorToProblem: ErrorToProblem = (error): MappedProblem | undefined => {
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
