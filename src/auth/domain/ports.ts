// What the auth domain needs from the outside: hashing secrets and making and checking tokens.
// Adapters live in ../secrets and ../tokens; app.ts wires them.

export interface SecretHasher {
  /** A self-describing hash (algorithm parameters and salt included). */
  hash(secret: string): Promise<string>;
  /** Constant-time comparison; false (not an error) for a malformed hash. */
  verify(secret: string, hash: string): Promise<boolean>;
}

export interface AccessTokenClaims {
  clientId: string;
  scopes: readonly string[];
}

export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenSigner {
  sign(claims: AccessTokenClaims): Promise<IssuedToken>;
}

/** A verified token's caller. */
export interface VerifiedCaller {
  clientId: string;
  scopes: readonly string[];
  /** When the token stops being valid (its exp claim), in epoch seconds. */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Throws InvalidTokenError for anything not to be honoured (signature, expiry, issuer, audience...). */
  verify(token: string): Promise<VerifiedCaller>;
  /** True when tokens are issued here, so each caller's client must still be active in the store. */
  readonly issuedLocally: boolean;
}
