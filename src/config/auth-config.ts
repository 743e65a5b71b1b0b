// The authentication part of the environment: the built-in token issuer (the default) or an
// external identity provider's JWKS.
import { z } from 'zod';
import { parseSigningKey, SigningKeyError } from '../auth/tokens/signing-key.ts';
import type { ConfigIssue } from './config-error.ts';
import { duration, nonEmpty, secret } from './env-values.ts';

export const DEFAULT_AUTH_ISSUER = 'urn:node-backend-template:issuer';
export const DEFAULT_AUTH_AUDIENCE = 'urn:node-backend-template:api';
const BOOTSTRAP_SECRET_MIN_BYTES = 32;

const httpUrl = z
  .string()
  .trim()
  .refine((raw) => /^https?:\/\/./.test(raw) && URL.canParse(raw), { message: 'must be an http(s) URL' });

export const authVariables = {
  AUTH_TOKEN_TTL: duration({ min: 10_000, max: 24 * 3_600_000 }).default(300_000),
  AUTH_ISSUER: nonEmpty.optional(),
  AUTH_AUDIENCE: nonEmpty.optional(),
  AUTH_SIGNING_KEY: nonEmpty.optional(),
  AUTH_SIGNING_KEY_ID: nonEmpty.optional(),
  AUTH_JWKS_URL: httpUrl.optional(),
  AUTH_ACCESS_TOKEN_TYPE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9!#$&^_.+-]{1,100}$/, { message: 'must be a media type name such as at+jwt' })
    .optional(),
  AUTH_BOOTSTRAP_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._~-]{1,200}$/, { message: 'must be 1-200 of A-Z a-z 0-9 . _ ~ -' })
    .optional(),
  AUTH_BOOTSTRAP_CLIENT_SECRET: secret({ minBytes: BOOTSTRAP_SECRET_MIN_BYTES }).optional(),
};

interface AuthVariables {
  AUTH_TOKEN_TTL: number;
  AUTH_ISSUER?: string | undefined;
  AUTH_AUDIENCE?: string | undefined;
  AUTH_SIGNING_KEY?: string | undefined;
  AUTH_SIGNING_KEY_ID?: string | undefined;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_ACCESS_TOKEN_TYPE?: string | undefined;
  AUTH_BOOTSTRAP_CLIENT_ID?: string | undefined;
  AUTH_BOOTSTRAP_CLIENT_SECRET?: string | undefined;
}

export interface BuiltInAuthConfig {
  mode: 'built-in';
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  /** PKCS#8 PEM or private JWK; required with a real database, generated in embedded mode. */
  signingKey: string | undefined;
  signingKeyId: string | undefined;
  bootstrapClient: { id: string; secret: string } | undefined;
}

export interface ExternalAuthConfig {
  mode: 'external';
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The `typ` header the provider's access tokens must carry. */
  tokenType: string;
}

/** RFC 9068 2.1: the type of a JWT access token. */
export const DEFAULT_ACCESS_TOKEN_TYPE = 'at+jwt';

export type AuthConfig = BuiltInAuthConfig | ExternalAuthConfig;

/** Adds an issue for every inconsistent combination; undefined when there was one. */
export function authConfigFrom(
  e: AuthVariables,
  realDatabase: boolean,
  issues: ConfigIssue[],
): AuthConfig | undefined {
  const before = issues.length;
  if (e.AUTH_JWKS_URL !== undefined) {
    for (const variable of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
      if (e[variable] === undefined) {
        issues.push({ variable, message: 'is required with AUTH_JWKS_URL (the external provider’s value)' });
      }
    }
    for (const variable of [
      'AUTH_SIGNING_KEY',
      'AUTH_BOOTSTRAP_CLIENT_ID',
      'AUTH_BOOTSTRAP_CLIENT_SECRET',
    ] as const) {
      if (e[variable] !== undefined) {
        issues.push({ variable, message: 'has no use with AUTH_JWKS_URL (tokens come from that provider)' });
      }
    }
    if (issues.length > before || !e.AUTH_ISSUER || !e.AUTH_AUDIENCE) return undefined;
    return {
      mode: 'external',
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      tokenType: e.AUTH_ACCESS_TOKEN_TYPE ?? DEFAULT_ACCESS_TOKEN_TYPE,
    };
  }

  if (e.AUTH_ACCESS_TOKEN_TYPE !== undefined) {
    issues.push({
      variable: 'AUTH_ACCESS_TOKEN_TYPE',
      message: 'has no use without AUTH_JWKS_URL (tokens issued here are always at+jwt)',
    });
  }

  if (realDatabase && e.AUTH_SIGNING_KEY === undefined) {
    issues.push({
      variable: 'AUTH_SIGNING_KEY',
      message:
        'is required with a real database (an Ed25519 or P-256 PKCS#8 PEM or private JWK; e.g. openssl genpkey -algorithm ed25519)',
    });
  }
  if (e.AUTH_SIGNING_KEY !== undefined) {
    const problem = signingKeyProblem(e.AUTH_SIGNING_KEY);
    if (problem !== undefined) issues.push({ variable: 'AUTH_SIGNING_KEY', message: problem });
  }
  const id = e.AUTH_BOOTSTRAP_CLIENT_ID;
  const bootstrapSecret = e.AUTH_BOOTSTRAP_CLIENT_SECRET;
  if ((id === undefined) !== (bootstrapSecret === undefined)) {
    issues.push({
      variable: id === undefined ? 'AUTH_BOOTSTRAP_CLIENT_ID' : 'AUTH_BOOTSTRAP_CLIENT_SECRET',
      message:
        'is required with ' +
        (id === undefined ? 'AUTH_BOOTSTRAP_CLIENT_SECRET' : 'AUTH_BOOTSTRAP_CLIENT_ID'),
    });
  }
  if (issues.length > before) return undefined;
  return {
    mode: 'built-in',
    issuer: e.AUTH_ISSUER ?? DEFAULT_AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE ?? DEFAULT_AUTH_AUDIENCE,
    tokenTtlSeconds: Math.floor(e.AUTH_TOKEN_TTL / 1000),
    signingKey: e.AUTH_SIGNING_KEY,
    signingKeyId: e.AUTH_SIGNING_KEY_ID,
    bootstrapClient:
      id !== undefined && bootstrapSecret !== undefined ? { id, secret: bootstrapSecret } : undefined,
  };
}

/** What is wrong with the key material, read as the token issuer will read it; undefined when nothing. */
function signingKeyProblem(material: string): string | undefined {
  try {
    parseSigningKey(material);
    return undefined;
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    return `${error.message} (an Ed25519 or P-256 PKCS#8 PEM or private JWK; e.g. openssl genpkey -algorithm ed25519)`;
  }
}
