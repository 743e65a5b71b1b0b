// CORS for browser clients on an allowlist of exact origins. With no origin configured nothing is
// registered: no CORS header is ever sent, so browsers refuse cross-origin calls.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
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
  await app.register(cors, {
    origin: [...allowedOrigins],
    methods: ALLOWED_METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
