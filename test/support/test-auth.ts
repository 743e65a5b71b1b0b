// What tests authenticate with: a signing key made once per test process, a bootstrap client the
// test app ensures in its database, and tokens obtained from the real token endpoint.
import type { FastifyInstance } from 'fastify';
import { generateSigningKeyPem } from '../../src/auth/tokens/signing-key.ts';

export const TEST_SIGNING_KEY = generateSigningKeyPem();
export const TEST_CLIENT = { id: 'test-client', secret: 'test-client-secret-test-client-secret' } as const;

/** The environment every test app gets unless a test overrides it. */
export const TEST_AUTH_ENV: Readonly<Record<string, string>> = {
  AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
  AUTH_BOOTSTRAP_CLIENT_ID: TEST_CLIENT.id,
  AUTH_BOOTSTRAP_CLIENT_SECRET: TEST_CLIENT.secret,
};

/** Real scrypt with a small cost, so suites that build many apps stay fast; production uses the default. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

export interface ClientCredentials {
  id: string;
  secret: string;
}

export function basicAuthorization(client: ClientCredentials): string {
  const encode = (value: string) => encodeURIComponent(value);
  return `Basic ${Buffer.from(`${encode(client.id)}:${encode(client.secret)}`).toString('base64')}`;
}

/** POST /oauth/token with the client credentials grant; fails the test unless a token comes back. */
export async function obtainToken(
  app: FastifyInstance,
  client: ClientCredentials = TEST_CLIENT,
  scope?: string,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(client),
    },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      ...(scope ? { scope } : {}),
    }).toString(),
  });
  if (response.statusCode !== 200) {
    throw new Error(`token request failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ access_token: string }>().access_token;
}
