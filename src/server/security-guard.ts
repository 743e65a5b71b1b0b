// Enforces an operation's `security` from the contract, before its body is even read: no caller
// -> 401, a caller without the scopes -> 403, each with the RFC 6750 challenge. Requirements are
// alternatives (any one suffices); within one, every scheme's scopes are needed. An empty list, or
// an empty requirement `{}`, leaves the operation open.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { problemType } from '../platform/problem.ts';
import { problemFor, sendProblem } from './problem-reply.ts';

export function securityGuard(operation: OperationRoute) {
  const requirements = operation.security.map((requirement) => Object.values(requirement).flat());
  const open = requirements.length === 0 || operation.security.some((r) => Object.keys(r).length === 0);

  return async function guardSecurity(request: FastifyRequest, reply: FastifyReply) {
    if (open) return;
    if (request.clientId === undefined) {
      const failure = request.authenticationFailure;
      // RFC 6750 3.1: a request without credentials gets the bare challenge, no error code.
      const challenge =
        failure === undefined
          ? 'Bearer'
          : `Bearer error="invalid_token", error_description="${quoted(failure)}"`;
      return sendProblem(
        reply.header('www-authenticate', challenge),
        problemFor(request, {
          status: 401,
          type: problemType(failure === undefined ? 'unauthenticated' : 'invalid-token'),
          title: failure === undefined ? 'Authentication required' : 'Invalid access token',
          detail: failure ?? 'send an access token: Authorization: Bearer <token>',
        }),
      );
    }
    const granted = new Set(request.grantedScopes ?? []);
    if (requirements.some((scopes) => scopes.every((scope) => granted.has(scope)))) return;
    const needed = requirements[0] ?? [];
    return sendProblem(
      reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${needed.join(' ')}"`),
      problemFor(request, {
        status: 403,
        type: problemType('insufficient-scope'),
        title: 'Insufficient scope',
        detail: `this operation needs the scope ${needed.join(' ')}`,
      }),
    );
  };
}

/** A quoted-string may not hold `"` or `\` unescaped (RFC 9110 5.6.4); ours never need them. */
function quoted(text: string): string {
  return text.replace(/["\\]/g, "'");
}
