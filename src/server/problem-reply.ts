import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { NeutralProblem } from '../platform/problem-dialect.ts';
import { PROBLEM_CONTENT_TYPE, type InvalidParam, type Problem } from '../platform/problem.ts';
import { problemDialectFor } from './problem-dialects.ts';

// RFC 9110 renamed these; Node's STATUS_CODES still has the old names.
const TITLES: Readonly<Record<number, string>> = {
  413: 'Content Too Large',
  422: 'Unprocessable Content',
};

export interface ProblemInit {
  status: number;
  type?: string;
  title?: string;
  detail?: string;
  invalidParams?: InvalidParam[];
  /** What went wrong, for the API's dialect; derived from `type` or the status when absent. */
  kind?: string;
}

/** Completes a problem with what only the request knows: where it happened and how to trace it. */
export function problemFor(request: FastifyRequest, init: ProblemInit | Problem): NeutralProblem {
  const type = init.type ?? 'about:blank';
  const problem: NeutralProblem = {
    type,
    title: init.title ?? reasonPhrase(init.status),
    status: init.status,
    kind: ('kind' in init ? init.kind : undefined) ?? kindOf(type, init.status),
  };
  if (init.detail !== undefined) problem.detail = init.detail;
  problem.instance = pathOf(request.url);
  if (init.invalidParams && init.invalidParams.length > 0) problem.invalidParams = init.invalidParams;
  problem.requestId = request.id;
  if (request.traceId) problem.traceId = request.traceId;
  return problem;
}

/** Sends the problem worded in the dialect of the API the request belongs to. */
export function sendProblem(reply: FastifyReply, problem: NeutralProblem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(renderProblem(reply.request, problem));
}

/** The response body of a problem, for the few places that hand a body back instead of sending it. */
export function renderProblem(request: FastifyRequest, problem: NeutralProblem): object {
  return problemDialectFor(request)(problem);
}

function reasonPhrase(status: number): string {
  return TITLES[status] ?? STATUS_CODES[status] ?? 'Error';
}

/** `/problems/<slug>` names its kind; otherwise the status does (`about:blank` 404: `not-found`). */
function kindOf(type: string, status: number): string {
  const prefix = '/problems/';
  if (type.startsWith(prefix) && type.length > prefix.length) return type.slice(prefix.length);
  return reasonPhrase(status)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The path without the query string, which may carry cursors or other things not worth echoing. */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
