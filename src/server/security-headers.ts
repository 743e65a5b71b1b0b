// Response headers for a JSON API: nothing here is meant to be rendered, framed, sniffed or leak a
// referrer; responses to authenticated requests are never cached; HSTS only where https is certain.
import type { FastifyInstance } from 'fastify';

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security on every response, whatever the request came over. */
  hstsEnabled: boolean;
}

const ALWAYS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const HSTS = 'max-age=31536000; includeSubDomains';

export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  // onSend: after handlers and error handlers, so every response gets them, problems included.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(ALWAYS);
    // A shared cache must never keep (or serve to someone else) what a credential unlocked.
    if (request.headers.authorization !== undefined) reply.header('Cache-Control', 'no-store');
    // request.protocol is https for a TLS socket, or when TRUST_PROXY and X-Forwarded-Proto say so.
    if (options.hstsEnabled || request.protocol === 'https') reply.header('Strict-Transport-Security', HSTS);
    return payload;
  });
}
