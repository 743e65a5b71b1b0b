// From an Authorization header to the caller, for the server's authentication hook: anonymous (no
// Bearer token), authenticated, or a token that must be refused (and why, for the challenge).
import { InvalidTokenError } from './client-errors.ts';
import type { ClientStatus } from './client-status.ts';
import type { TokenVerifier, VerifiedCaller } from './ports.ts';

export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'authenticated'; caller: VerifiedCaller }
  | { kind: 'invalid'; reason: string };

/** RFC 6750 2.1: `Bearer` then a b64token; the scheme name is case-insensitive. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export class BearerAuthenticator {
  readonly #verifier: TokenVerifier;
  readonly #status: ClientStatus | undefined;

  /** `status` is consulted for locally issued tokens only; an external issuer owns its clients. */
  constructor(verifier: TokenVerifier, status: ClientStatus | undefined) {
    this.#verifier = verifier;
    this.#status = status;
  }

  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (authorization === undefined || !/^bearer(\s|$)/i.test(authorization)) return { kind: 'anonymous' };
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return { kind: 'invalid', reason: 'malformed Bearer credentials' };
    let caller: VerifiedCaller;
    try {
      caller = await this.#verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return { kind: 'invalid', reason: error.message };
      throw error;
    }
    if (this.#verifier.issuedLocally && this.#status && !(await this.#status.isActive(caller.clientId))) {
      // Unknown or revoked: one answer, so a token reveals nothing about which clients exist.
      return { kind: 'invalid', reason: "the token's client is not active (revoked or unknown)" };
    }
    return { kind: 'authenticated', caller };
  }
}
