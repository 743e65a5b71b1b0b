// Errors of the OAuth clients domain.

export class ClientAlreadyExistsError extends Error {
  readonly clientId: string;

  constructor(clientId: string) {
    super(`client ${clientId} already exists`);
    this.clientId = clientId;
    this.name = 'ClientAlreadyExistsError';
  }
}

export class UnknownScopeError extends Error {
  readonly scopes: readonly string[];

  constructor(scopes: readonly string[]) {
    super(`unknown scope(s): ${scopes.join(', ')}`);
    this.scopes = scopes;
    this.name = 'UnknownScopeError';
  }
}

/** RFC 6749 5.2 error codes of the token endpoint. */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/** A refused token request, as the token endpoint reports it. */
export class TokenRequestError extends Error {
  readonly code: TokenErrorCode;
  readonly description: string;

  constructor(code: TokenErrorCode, description: string) {
    super(`${code}: ${description}`);
    this.code = code;
    this.description = description;
    this.name = 'TokenRequestError';
  }
}

/** An access token that must not be honoured; the message is safe to show to the caller. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}
