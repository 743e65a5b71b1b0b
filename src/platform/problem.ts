// RFC 9457 problem details: the one shape every error response takes.

export interface InvalidParam {
  /** The parameter name (`pageSize`, `If-Match`), or a path into the body (`body.address.city`). */
  name: string;
  reason: string;
}

export interface Problem {
  /** A URI reference naming the kind of problem; `about:blank` when the HTTP status says it all. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path that met the problem. */
  instance?: string;
  invalidParams?: InvalidParam[];
  requestId?: string;
  traceId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are relative URI references under /problems/, resolvable against the API's base URL. */
export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

/** What a module's problem table makes of one of its errors; the server adds instance and ids. */
export interface MappedProblem {
  status: number;
  type: string;
  title: string;
  detail?: string;
  invalidParams?: InvalidParam[];
  /** What went wrong, for the API's problem dialect; the slug of a `/problems/<slug>` type when absent. */
  kind?: string;
  /** Response headers the problem needs, such as the current ETag of a 412. */
  headers?: Record<string, string>;
}

/** A module's problem table: its errors to problems, undefined for errors it does not know. */
export type ErrorToProblem = (error: unknown) => MappedProblem | undefined;
