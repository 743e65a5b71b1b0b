// Verifies tokens of an external identity provider against its JWKS, which jose fetches, caches,
// and fetches again when a token names a key id it does not know (key rotation), at most once per
// cooldown period.
import { createRemoteJWKSet } from 'jose';
import type { Clock } from '../../platform/clock.ts';
import type { TokenVerifier } from '../domain/ports.ts';
import { verifyJwt } from './verify-jwt.ts';

/** Asymmetric algorithms only: a JWKS of public keys can verify nothing else. */
const ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export interface RemoteVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The `typ` header the provider's access tokens carry (RFC 9068: at+jwt). */
  tokenType: string;
  clock: Clock;
  /** Least time between two fetches of the JWKS (jose's default is 30 s). */
  cooldownMs?: number;
}

export function createRemoteTokenVerifier(options: RemoteVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    ...(options.cooldownMs === undefined ? {} : { cooldownDuration: options.cooldownMs }),
  });
  return {
    issuedLocally: false,
    verify: (token) =>
      verifyJwt(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        tokenType: options.tokenType,
        algorithms: ALGORITHMS,
        clock: options.clock,
      }),
  };
}
