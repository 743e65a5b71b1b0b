// RFC 6749 4.4, the client credentials grant, once the HTTP layer has read the request: checks the
// client's secret and the requested scope, and signs a token.
import { TokenRequestError } from './client-errors.ts';
import type { ClientStore } from './client-store.ts';
import type { IssuedToken, SecretHasher, TokenSigner } from './ports.ts';

export interface TokenGrantRequest {
  clientId: string;
  clientSecret: string;
  /** The `scope` parameter's tokens; undefined when absent (then all of the client's scopes). */
  requestedScopes: readonly string[] | undefined;
}

export interface GrantedToken extends IssuedToken {
  scopes: readonly string[];
}

export interface TokenIssuerDeps {
  clients: ClientStore;
  hasher: SecretHasher;
  signer: TokenSigner;
  /**
   * A hash of some unguessable secret, checked when the client does not exist so an unknown id
   * costs the same time as a wrong secret (no client-id enumeration by timing).
   */
  decoyHash: string;
}

export class TokenIssuer {
  readonly #deps: TokenIssuerDeps;

  constructor(deps: TokenIssuerDeps) {
    this.#deps = deps;
  }

  async issue(request: TokenGrantRequest): Promise<GrantedToken> {
    const client = await this.#deps.clients.findById(request.clientId);
    const secretMatches = await this.#deps.hasher.verify(
      request.clientSecret,
      client?.secretHash ?? this.#deps.decoyHash,
    );
    if (!client || !secretMatches || client.revokedAt !== null) {
      // One answer for all three, so nobody learns which ids exist or are revoked.
      throw new TokenRequestError('invalid_client', 'client authentication failed');
    }
    if (client.scopes.length === 0) {
      throw new TokenRequestError('unauthorized_client', 'the client is not allowed any scope');
    }
    const scopes = request.requestedScopes ?? client.scopes;
    const beyond = scopes.filter((scope) => !client.scopes.includes(scope));
    if (beyond.length > 0) {
      throw new TokenRequestError('invalid_scope', `scope not granted to this client: ${beyond.join(' ')}`);
    }
    if (scopes.length === 0) throw new TokenRequestError('invalid_scope', 'the scope is empty');
    const issued = await this.#deps.signer.sign({ clientId: client.id, scopes });
    return { ...issued, scopes };
  }
}
