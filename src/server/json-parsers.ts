// application/json is parsed by Fastify itself; the structured-syntax JSON media types the contracts
// use (RFC 7396 merge patch and any other `+json`) get the same parser and the same poisoning guard.
import type { FastifyInstance } from 'fastify';

export function registerJsonParsers(app: FastifyInstance): void {
  app.addContentTypeParser(
    /^application\/[a-z0-9.+-]+\+json\s*(;|$)/i,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
}
