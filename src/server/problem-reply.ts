import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type InvalidParam, type Problem } from '../platform/problem.ts';

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
}

/** Completes a problem with what only the request knows: where it happened and how to trace it. */
export function problemFor(request: FastifyRequest, init: ProblemInit | Problem): Problem {
  const problem: Problem = {
    type: init.type ?? 'about:blank',
    title: init.title ?? TITLES[init.status] ?? STATUS_CODES[init.status] ?? 'Error',
    status: init.status,
  };
  if (init.detail !== undefined) problem.detail = init.detail;
  problem.instance = pathOf(request.url);
  if (init.invalidParams && init.invalidParams.length > 0) problem.invalidParams = init.invalidParams;
  problem.requestId = request.id;
  if (request.traceId) problem.traceId = request.traceId;
  return problem;
}

/** Sends the problem, in the route's API's dialect when it has one (ProblemDialect). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const config = reply.request.routeOptions.config;
  const dialect = config.problemDialect;
  const operationId = config.operation?.operationId;
  if (dialect && operationId !== undefined) {
    const body = dialect(problem, operationId);
    return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  }
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** The path without the query string, which may carry cursors or other things not worth echoing. */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
