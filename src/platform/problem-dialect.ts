// How an API words its problem responses. The server builds one neutral problem for every error it
// answers (validation, 401/403, 404/405, 406/415, 413, 429, 503, 500 and a module's own errors) and
// hands it to the dialect of the API the request belongs to, which returns the response body. An
// API whose contract prescribes its own error format (a regulator's, a partner's) supplies a dialect;
// the default is the server's RFC 9457 shape. Dialects live in a module's http adapter, which may
// import platform but not server, hence this type lives here.
import { problemType, type Problem } from './problem.ts';

/** Everything the server knows about a problem, in no API's wording. */
export interface NeutralProblem extends Problem {
  /**
   * What went wrong, as a stable kebab-case slug a dialect can choose its own `type` by: the slug of
   * a `/problems/<slug>` type (`invalid-body`, `invalid-parameters`, `malformed-body`,
   * `unauthenticated`, `invalid-token`, `insufficient-scope`, `rate-limited`, `rate-limit-unavailable`,
   * `overloaded`, `if-match-required`, or a module's own), else the status's reason phrase
   * (`bad-request`, `not-found`, `method-not-allowed`, `not-acceptable`, `content-too-large`,
   * `uri-too-long`, `unsupported-media-type`, `internal-server-error`, `service-unavailable`).
   */
  kind: string;
}

/** Turns a neutral problem into the response body; status, headers and content type stay the server's. */
export type ProblemDialect = (problem: NeutralProblem) => object;

/** The server's own wording: RFC 9457 with `invalidParams`, `requestId` and `traceId` extensions. */
export const rfc9457ProblemDialect: ProblemDialect = (problem) => {
  const { kind, ...body } = problem;
  void kind;
  return body;
};

/** The part of a request a schema refused. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** How an API answers a request its contract's schemas refuse; detail and violations stay the server's. */
export interface ValidationRefusal {
  status: number;
  type: string;
  title: string;
}

/**
 * An API's choice of status and type for schema refusals, per operation and part of the request;
 * undefined leaves the server's default (defaultValidationRefusal). Lives beside the API's dialect:
 * a regulator's contract that answers 400 for an invalid body says so with its own error types.
 */
export type ValidationRefusalPolicy = (
  operationId: string,
  part: RequestPart,
) => ValidationRefusal | undefined;

/**
 * The server's own choice: a body that parses but breaks the schema is 422 Unprocessable Content
 * (RFC 9110 15.5.21), invalid parameters 400.
 */
export function defaultValidationRefusal(part: RequestPart): ValidationRefusal {
  return part === 'body'
    ? { status: 422, type: problemType('invalid-body'), title: 'The request body is invalid' }
    : { status: 400, type: problemType('invalid-parameters'), title: 'The request parameters are invalid' };
}
