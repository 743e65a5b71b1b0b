// Token verification shared by the local and the remote key sources: jose's jwtVerify with the
// algorithms pinned (never `none`, never a symmetric one chosen by the token) and the token type
// required (RFC 9068 2.1: `at+jwt`, so an ID token or another JWT signed by the same key is not
// taken for an access token), then the caller read from the claims. Every refusal becomes an InvalidTokenError with a message safe to return.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyObject } from 'jose';
import type { Clock } from '../../platform/clock.ts';
import { InvalidTokenError } from '../domain/client-errors.ts';
import type { VerifiedCaller } from '../domain/ports.ts';

export interface VerifyOptions {
  issuer: string;
  audience: string;
  algorithms: string[];
  /** The `typ` header every token must carry (compared as RFC 9068 says: case-insensitively). */
  tokenType: string;
  clock: Clock;
}

export async function verifyJwt(
  token: string,
  key: KeyObject | JWTVerifyGetKey,
  options: VerifyOptions,
): Promise<VerifiedCaller> {
  let payload: JWTPayload;
  try {
    const verifyOptions = {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: options.algorithms,
      typ: options.tokenType,
      requiredClaims: ['exp'],
      currentDate: options.clock.now(),
    };
    ({ payload } =
      typeof key === 'function'
        ? await jwtVerify(token, key, verifyOptions)
        : await jwtVerify(token, key, verifyOptions));
  } catch (error) {
    throw toInvalidToken(error, options.tokenType);
  }
  return callerFrom(payload);
}

/** Scopes from `scope` (space list) or `scp` (array); the client from `client_id`, `azp` or `sub`. */
function callerFrom(payload: JWTPayload): VerifiedCaller {
  const clientId = [payload['client_id'], payload['azp'], payload.sub].find(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  if (clientId === undefined) throw new InvalidTokenError('the token names no client');
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  let scopes: string[] = [];
  if (typeof scope === 'string') scopes = scope.split(' ').filter((token) => token.length > 0);
  else if (Array.isArray(scp)) scopes = scp.filter((token): token is string => typeof token === 'string');
  // jwtVerify has checked exp: present (requiredClaims) and a number in the future.
  return { clientId, scopes, expiresAt: payload.exp! };
}

function toInvalidToken(error: unknown, tokenType: string): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ') {
    return new InvalidTokenError(`the token is not an access token (its typ header is not ${tokenType})`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidTokenError(`the token's ${error.claim} claim is not accepted`);
  }
  if (error instanceof errors.JWKSTimeout) return error;
  if (error instanceof errors.JWKSNoMatchingKey)
    return new InvalidTokenError('the token was signed by an unknown key');
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new InvalidTokenError("the token's algorithm is not accepted");
  if (error instanceof errors.JOSEError)
    return new InvalidTokenError('the token is malformed or its signature is invalid');
  return error instanceof Error ? error : new Error(String(error));
}
