// Bounds on what a client may send before any handler runs: an over-long request target is a 414
// problem, over-large headers a 431 problem (Node refuses those while parsing, before Fastify has a
// request, so the answer is written to the socket here).
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../platform/problem.ts';
import { problemFor, sendProblem } from './problem-reply.ts';

export function isUrlTooLong(request: FastifyRequest, maxUrlLength: number): boolean {
  return (request.raw.url ?? '').length > maxUrlLength;
}

export function sendUrlTooLong(
  request: FastifyRequest,
  reply: FastifyReply,
  maxUrlLength: number,
): FastifyReply {
  const problem = problemFor(request, {
    status: 414,
    detail: `The request target is longer than the ${maxUrlLength} characters this server accepts.`,
  });
  // Echoing the over-long path back would defeat the point.
  delete problem.instance;
  return sendProblem(reply, problem);
}

export function registerUrlLengthLimit(app: FastifyInstance, maxUrlLength: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isUrlTooLong(request, maxUrlLength)) return sendUrlTooLong(request, reply, maxUrlLength);
  });
}

const CLIENT_ERRORS: Readonly<Record<string, { status: number; detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than this server accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.' },
};

/** Fastify's clientErrorHandler: errors Node's HTTP parser raises, answered as problems. */
export function handleClientError(error: ConnectionError, socket: Socket): void {
  // A reset socket has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code === undefined ? undefined : CLIENT_ERRORS[error.code];
  const status = known?.status ?? 400;
  const title = status === 431 ? 'Request Header Fields Too Large' : (STATUS_CODES[status] ?? 'Bad Request');
  const problem: Problem = {
    type: 'about:blank',
    title,
    status,
    detail: known?.detail ?? 'The request is not valid HTTP.',
  };
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
