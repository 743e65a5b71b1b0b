import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from './config.ts';
import { generateSigningKeyPem } from '../auth/tokens/signing-key.ts';
import { TEST_PAYMENT_ENV } from '../../test/support/test-payment.ts';

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const POSTGRES = { POSTGRES_PRIMARY_HOST: 'db', HMAC_SECRET: 'x'.repeat(32), ...TEST_PAYMENT_ENV };

describe('authentication configuration', () => {
  it('defaults to the built-in issuer with a 5 minute token in embedded mode, key to be generated', () => {
    expect(loadConfig({}).auth).toEqual({
      mode: 'built-in',
      issuer: 'urn:node-backend-template:issuer',
      audience: 'urn:node-backend-template:api',
      tokenTtlSeconds: 300,
      signingKey: undefined,
      signingKeyId: undefined,
      bootstrapClient: undefined,
    });
  });

  it('requires AUTH_SIGNING_KEY with a real database', () => {
    expect(issuesOf(POSTGRES).map((issue) => issue.variable)).toEqual(['AUTH_SIGNING_KEY']);
  });

  it('checks AUTH_SIGNING_KEY with the other variables: one message, the key never echoed', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const garbage = issuesOf({ ...POSTGRES, AUTH_SIGNING_KEY: 'garbage', PORT: 'none' });
    expect(garbage.map((issue) => issue.variable)).toEqual(['PORT', 'AUTH_SIGNING_KEY']);
    expect(garbage[1]?.message).toMatch(/^is neither a PKCS#8 PEM private key nor a private JWK \(/);
    expect(garbage[1]?.message).not.toContain('garbage');
    const [rsaIssue] = issuesOf({ ...POSTGRES, AUTH_SIGNING_KEY: rsa });
    expect(rsaIssue?.message).toMatch(/^must be an Ed25519 or a P-256 key, not an RSA key/);
    expect(issuesOf({ AUTH_SIGNING_KEY: p384 })[0]?.message).toMatch(/not an EC key on secp384r1/);
    expect(() => loadConfig({ AUTH_SIGNING_KEY: `{"kty":"oct","k":"abc"}` })).toThrow(/AUTH_SIGNING_KEY/);
    expect(loadConfig({ ...POSTGRES, AUTH_SIGNING_KEY: generateSigningKeyPem() }).auth.mode).toBe('built-in');
  });

  it('wants the bootstrap id and secret together, the secret long enough and never echoed', () => {
    expect(issuesOf({ AUTH_BOOTSTRAP_CLIENT_ID: 'ops' })).toEqual([
      { variable: 'AUTH_BOOTSTRAP_CLIENT_SECRET', message: 'is required with AUTH_BOOTSTRAP_CLIENT_ID' },
    ]);
    const short = issuesOf({ AUTH_BOOTSTRAP_CLIENT_ID: 'ops', AUTH_BOOTSTRAP_CLIENT_SECRET: 'hunter2' });
    expect(short).toEqual([
      { variable: 'AUTH_BOOTSTRAP_CLIENT_SECRET', message: 'must be at least 32 bytes long' },
    ]);
    expect(
      issuesOf({ AUTH_BOOTSTRAP_CLIENT_ID: 'has space', AUTH_BOOTSTRAP_CLIENT_SECRET: 'y'.repeat(32) })[0]
        ?.variable,
    ).toBe('AUTH_BOOTSTRAP_CLIENT_ID');
  });

  it('reads AUTH_TOKEN_TTL as a bounded duration', () => {
    expect(loadConfig({ AUTH_TOKEN_TTL: '15m' }).auth).toMatchObject({ tokenTtlSeconds: 900 });
    expect(issuesOf({ AUTH_TOKEN_TTL: '2s' })[0]?.variable).toBe('AUTH_TOKEN_TTL');
  });

  it('switches to an external provider with AUTH_JWKS_URL, which needs its issuer and audience', () => {
    expect(issuesOf({ AUTH_JWKS_URL: 'https://idp.example/jwks' }).map((issue) => issue.variable)).toEqual([
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
    ]);
    expect(
      loadConfig({
        ...POSTGRES,
        AUTH_JWKS_URL: 'https://idp.example/jwks',
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_AUDIENCE: 'api',
      }).auth,
    ).toEqual({
      mode: 'external',
      jwksUrl: 'https://idp.example/jwks',
      issuer: 'https://idp.example/',
      audience: 'api',
      tokenType: 'at+jwt',
    });
  });

  it('takes the external provider’s access token type, and refuses it without AUTH_JWKS_URL', () => {
    const external = {
      ...POSTGRES,
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'api',
    };
    expect(loadConfig({ ...external, AUTH_ACCESS_TOKEN_TYPE: 'JWT' }).auth).toMatchObject({
      tokenType: 'JWT',
    });
    expect(
      issuesOf({ ...external, AUTH_ACCESS_TOKEN_TYPE: 'at jwt' }).map((issue) => issue.variable),
    ).toEqual(['AUTH_ACCESS_TOKEN_TYPE']);
    expect(issuesOf({ AUTH_ACCESS_TOKEN_TYPE: 'JWT' })).toEqual([
      {
        variable: 'AUTH_ACCESS_TOKEN_TYPE',
        message: 'has no use without AUTH_JWKS_URL (tokens issued here are always at+jwt)',
      },
    ]);
  });

  it('refuses a built-in signing key or bootstrap client beside AUTH_JWKS_URL, and a JWKS URL that is none', () => {
    const issues = issuesOf({
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUTH_ISSUER: 'i',
      AUTH_AUDIENCE: 'a',
      AUTH_SIGNING_KEY: 'k',
    });
    expect(issues.map((issue) => issue.variable)).toEqual(['AUTH_SIGNING_KEY']);
    expect(issuesOf({ AUTH_JWKS_URL: 'ftp://idp' })[0]).toEqual({
      variable: 'AUTH_JWKS_URL',
      message: 'must be an http(s) URL',
    });
  });
});
