// An OAuth 2.0 client of the built-in token endpoint: a machine caller that authenticates with a
// secret (client credentials grant) and gets tokens carrying a subset of its scopes.

export interface OAuthClient {
  id: string;
  name: string;
  /** What tokens issued to this client may carry. */
  scopes: readonly string[];
  createdAt: Date;
  /** Set once revoked: no new tokens, and tokens already issued are refused. */
  revokedAt: Date | null;
}

/** A client as stored: with its secret's hash (never the secret itself). */
export interface StoredClient extends OAuthClient {
  secretHash: string;
}

/** RFC 6749 3.3: scope tokens are printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Splits a space-delimited scope string; undefined when a token is malformed. */
export function parseScopeList(scope: string): string[] | undefined {
  const tokens = scope.split(' ').filter((token) => token.length > 0);
  if (!tokens.every((token) => SCOPE_TOKEN.test(token))) return undefined;
  return [...new Set(tokens)];
}
