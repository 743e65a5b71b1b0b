// The first onRequest hook after the request id: reads the caller from the Authorization header
// and records it on the request (clientId, grantedScopes), so every later hook (rate limits keyed
// by client) and the per-operation security guard see it. It never answers by itself: whether a
// route needs a caller is the contract's business (security-guard.ts).
import type { FastifyInstance } from 'fastify';
import { problemFor, sendProblem } from './problem-reply.ts';

export type RequestAuthentication =
  | { kind: 'anonymous' }
  | { kind: 'authenticated'; caller: { clientId: string; scopes: readonly string[] } }
  | { kind: 'invalid'; reason: string };

/** Implemented by the auth module; main.ts and app.ts hand it over. */
export interface RequestAuthenticator {
  authenticate(authorization: string | undefined): Promise<RequestAuthentication>;
}

export function registerAuthenticationHook(app: FastifyInstance, authenticator: RequestAuthenticator): void {
  app.addHook('onRequest', async (request, reply) => {
    let outcome: RequestAuthentication;
    try {
      outcome = await authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      // The client store or the identity provider's keys are out of reach: not the caller's fault.
      request.log.error({ err: error }, 'authentication unavailable');
      return sendProblem(
        reply.header('retry-after', '5'),
        problemFor(request, { status: 503, detail: 'authentication is unavailable; try again shortly' }),
      );
    }
    if (outcome.kind === 'authenticated') {
      request.clientId = outcome.caller.clientId;
      request.grantedScopes = outcome.caller.scopes;
    } else if (outcome.kind === 'invalid') {
      request.authenticationFailure = outcome.reason;
    }
  });
}
