// CORS for browser clients on an allowlist of exact origins. With no origin configured nothing is
// registered: no CORS header is ever sent, so browsers refuse cross-origin calls.
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RATE_LIMIT_HEADER_NAMES } from './rate-limit/rate-limit-headers.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'If-Match',
  'If-None-Match',
  REQUEST_ID_HEADER,
];
/** Response headers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Link',
  'Retry-After',
  REQUEST_ID_HEADER,
  ...RATE_LIMIT_HEADER_NAMES,
];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export async function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): Promise<void> {
  if (allowedOrigins.length === 0) return;
  const options: FastifyCorsOptions = {
    origin: [...allowedOrigins],
    methods: ALLOWED_METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  };
  // An OPTIONS request that is not a preflight is not CORS's business: left alone, it reaches the
  // not-found handler (405 with Allow, as a problem) instead of the plugin's plain-text 400.
  const notCors: FastifyCorsOptions = { origin: false };
  await app.register(cors, {
    delegator: (request, callback) => {
      callback(null, request.method === 'OPTIONS' && !isPreflight(request) ? notCors : options);
    },
  });
}

function isPreflight(request: FastifyRequest): boolean {
  return (
    request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
  );
}
