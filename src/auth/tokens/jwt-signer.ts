// Signs access tokens as JWTs (RFC 9068 profile: typ at+jwt, iss, aud, sub = client_id, scope,
// iat, exp, jti).
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { TokenSigner } from '../domain/ports.ts';
import type { SigningKey } from './signing-key.ts';

export interface JwtSignerOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock: Clock;
}

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export function createJwtSigner({ key, issuer, audience, ttlSeconds, clock }: JwtSignerOptions): TokenSigner {
  return {
    async sign({ clientId, scopes }) {
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      const token = await new SignJWT({ client_id: clientId, scope: scopes.join(' ') })
        .setProtectedHeader({ alg: key.algorithm, kid: key.keyId, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(clientId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .setJti(randomUUID())
        .sign(key.privateKey);
      return { token, expiresInSeconds: ttlSeconds };
    },
  };
}
