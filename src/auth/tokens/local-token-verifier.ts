// Verifies the tokens this service issued, with its own public key.
import type { Clock } from '../../platform/clock.ts';
import type { TokenVerifier } from '../domain/ports.ts';
import { ACCESS_TOKEN_TYPE } from './jwt-signer.ts';
import type { SigningKey } from './signing-key.ts';
import { verifyJwt } from './verify-jwt.ts';

export function createLocalTokenVerifier(
  key: SigningKey,
  options: { issuer: string; audience: string; clock: Clock },
): TokenVerifier {
  return {
    issuedLocally: true,
    verify: (token) =>
      verifyJwt(token, key.publicKey, {
        ...options,
        algorithms: [key.algorithm],
        tokenType: ACCESS_TOKEN_TYPE,
      }),
  };
}
