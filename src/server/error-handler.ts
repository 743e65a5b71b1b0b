// Every error leaves as an RFC 9457 problem. Client mistakes are explained; anything unexpected
// becomes a sanitized 500 (no stack, SQL or internals in the body), logged with the request id.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConnectionError,
  QueryTimeoutError,
  ReadOnlyDatabaseError,
  RetryableTransactionError,
} from '../db/errors.ts';
import { problemType } from '../platform/problem.ts';
import { problemFor, sendProblem, type ProblemInit } from './problem-reply.ts';
import { invalidParamsOf } from './validation-problem.ts';

/** Seconds a client should wait before retrying after a transient failure. */
const RETRY_AFTER_SECONDS = 1;

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const init = problemInitFor(error, request, reply);
  if (init.status >= 500) {
    request.log.error({ err: error }, 'request failed');
    if (init.status === 503 && !reply.hasHeader('retry-after'))
      reply.header('Retry-After', RETRY_AFTER_SECONDS);
  } else {
    request.log.info({ status: init.status, code: error.code }, 'request rejected');
  }
  return sendProblem(reply, problemFor(request, init));
}

function problemInitFor(error: FastifyError, request: FastifyRequest, reply: FastifyReply): ProblemInit {
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const isBody = part === 'body';
    return {
      status: isBody ? 422 : 400,
      type: problemType(isBody ? 'invalid-body' : 'invalid-parameters'),
      title: isBody ? 'The request body is invalid' : 'The request parameters are invalid',
      detail: isBody
        ? 'The body is well-formed but does not match the schema; see invalidParams.'
        : 'One or more parameters are invalid; see invalidParams.',
      invalidParams: invalidParamsOf(part, error.validation),
    };
  }

  const mapped = request.routeOptions.config.errorToProblem?.(error);
  if (mapped) {
    const { headers, ...problem } = mapped;
    if (headers) reply.headers(headers);
    return problem;
  }

  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, detail: 'The request body is larger than this server accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, detail: 'The request body has a media type this operation does not accept.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        type: problemType('malformed-body'),
        title: 'The request body is not valid JSON',
      };
    case 'FST_ERR_HANDLER_TIMEOUT':
      return { status: 503, detail: 'The request took longer than the server allows.' };
  }

  if (error instanceof ConnectionError || error instanceof ReadOnlyDatabaseError) {
    return { status: 503, detail: 'The database is unavailable; retry shortly.' };
  }
  if (error instanceof QueryTimeoutError) {
    return { status: 503, detail: 'The database did not answer in time; retry shortly.' };
  }
  if (error instanceof RetryableTransactionError) {
    return { status: 503, detail: 'The request collided with a concurrent change; retry it.' };
  }

  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's and its plugins' client-error messages describe the request, never the server.
    return { status, detail: error.message };
  }
  if (status === 503) return { status };
  return { status: 500, detail: 'An unexpected error occurred; it has been logged.' };
}

/** Errors Fastify raises before routing (malformed URL encoding, oversized path parameters). */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path parameter is longer than allowed.'
      : 'The URL is not validly encoded.';
  void sendProblem(reply, problemFor(request, { status: 400, detail }));
}
