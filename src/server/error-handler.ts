// Every error leaves as an RFC 9457 problem. Client mistakes are explained; anything unexpected
// becomes a sanitized 500 (no stack, SQL or internals in the body), logged with the request id.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConnectionError,
  QueryTimeoutError,
  ReadOnlyDatabaseError,
  RetryableTransactionError,
} from '../db/errors.ts';
import { defaultValidationRefusal } from '../platform/problem-dialect.ts';
import { problemType } from '../platform/problem.ts';
import { JsonBodyError } from './json-parsers.ts';
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
    const { listed, total } = invalidParamsOf(part, error.validation);
    const more =
      total > listed.length ? ` ${total} problems were found; the first ${listed.length} are listed.` : '';
    const { config } = request.routeOptions;
    const refusal =
      (config.operation && config.validationRefusal?.(config.operation.operationId, part)) ??
      defaultValidationRefusal(part);
    return {
      ...refusal,
      detail:
        (isBody
          ? 'The body is well-formed but does not match the schema; see invalidParams.'
          : 'One or more parameters are invalid; see invalidParams.') + more,
      invalidParams: listed,
    };
  }

  const mapped = request.routeOptions.config.errorToProblem?.(error);
  if (mapped) {
    const { headers, ...problem } = mapped;
    if (headers) reply.headers(headers);
    return problem;
  }

  if (error instanceof JsonBodyError) return jsonBodyProblem(error);
  const known = error.code === undefined ? undefined : FRAMEWORK_ERRORS[error.code];
  if (known) return known;

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
    // Keep the status, not the text: a message we did not write (a library's, a stream's) may name
    // internals, so only the texts above reach a client.
    return { status, detail: 'The request could not be processed as sent.' };
  }
  if (status === 503) return { status };
  return { status: 500, detail: 'An unexpected error occurred; it has been logged.' };
}

/** Fastify's client errors, in our words. */
const FRAMEWORK_ERRORS: Readonly<Record<string, ProblemInit>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, detail: 'The request body is larger than this server accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    detail: 'The request body has a media type this operation does not accept.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    detail: 'The request body is not as long as its Content-Length says.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    type: problemType('malformed-body'),
    title: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    type: problemType('malformed-body'),
    title: 'The request body is not valid JSON',
    detail: 'The request body is empty.',
  },
  FST_ERR_HANDLER_TIMEOUT: { status: 503, detail: 'The request took longer than the server allows.' },
};

function jsonBodyProblem(error: JsonBodyError): ProblemInit {
  if (error.code === 'BODY_FORBIDDEN_KEY') {
    return {
      status: 400,
      type: problemType('forbidden-key'),
      title: 'The request body uses a forbidden key',
      detail: error.message,
    };
  }
  return {
    status: 400,
    type: problemType('malformed-body'),
    title:
      error.code === 'BODY_NOT_UTF8'
        ? 'The request body is not valid UTF-8'
        : 'The request body is not valid JSON',
    detail: error.message,
  };
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
