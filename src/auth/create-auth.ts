// Assembles the auth module for the service: the request authenticator the server's hook calls,
// the hand-registered token and JWKS routes, and the start-up bootstrap client. Built-in issuer
// (tokens signed here, clients in the database) or an external identity provider (its JWKS).
import type { ConnectionManager } from '../db/connection-pool.ts';
import type { Clock } from '../platform/clock.ts';
import type { IdGenerator } from '../platform/ids.ts';
import type { Tracer } from '../platform/tracer.ts';
import { BearerAuthenticator } from './domain/bearer-authenticator.ts';
import { ClientAdmin } from './domain/client-admin.ts';
import { ClientStatus } from './domain/client-status.ts';
import { TokenIssuer } from './domain/token-issuer.ts';
import { createAuthRoutes, type AuthRoutes } from './http/token-route.ts';
import { createSqlClientStore } from './persistence/sql-client-store.ts';
import { randomClientSecret } from './secrets/random-client-secret.ts';
import { createScryptSecretHasher, type ScryptParameters } from './secrets/scrypt-secret-hasher.ts';
import { cachingTokenVerifier } from './tokens/caching-token-verifier.ts';
import { createJwtSigner } from './tokens/jwt-signer.ts';
import { createLocalTokenVerifier } from './tokens/local-token-verifier.ts';
import { createRemoteTokenVerifier } from './tokens/remote-token-verifier.ts';
import { readSigningKey, SigningKeyError } from './tokens/signing-key.ts';

export type AuthSettings =
  | {
      mode: 'built-in';
      issuer: string;
      audience: string;
      tokenTtlSeconds: number;
      /** PKCS#8 PEM or private JWK. */
      signingKey: string;
      signingKeyId: string | undefined;
      bootstrapClient: { id: string; secret: string } | undefined;
    }
  | { mode: 'external'; jwksUrl: string; issuer: string; audience: string; tokenType: string };

export interface AuthDeps {
  db: ConnectionManager;
  clock: Clock;
  ids: IdGenerator;
  /** Every scope the service's contracts require; clients hold only these. */
  scopes: readonly string[];
  /** A span around each client status read, so its query is not mistaken for the use case's. */
  tracer?: Tracer;
  /** Least time between two fetches of an external provider's JWKS (jose's 30 s by default); tests shorten it. */
  jwksCooldownMs?: number;
  /** Cheaper scrypt parameters for tests; the default otherwise. */
  scrypt?: ScryptParameters;
}

export interface Auth {
  authenticator: BearerAuthenticator;
  routes: AuthRoutes;
  /** Absent with an external provider, which owns its clients. */
  admin: ClientAdmin | undefined;
}

export const BOOTSTRAP_CLIENT_NAME = 'bootstrap';

export async function createAuth(settings: AuthSettings, deps: AuthDeps): Promise<Auth> {
  if (settings.mode === 'external') {
    const verifier = cachingTokenVerifier(
      createRemoteTokenVerifier({
        ...settings,
        clock: deps.clock,
        ...(deps.jwksCooldownMs === undefined ? {} : { cooldownMs: deps.jwksCooldownMs }),
      }),
      { clock: deps.clock },
    );
    return {
      authenticator: new BearerAuthenticator(verifier, undefined),
      routes: createAuthRoutes({}),
      admin: undefined,
    };
  }

  const key = await readSigningKey(settings.signingKey, settings.signingKeyId).catch((error: unknown) => {
    // Name the variable: the key is read here, after the configuration, as reading it is async.
    throw error instanceof SigningKeyError ? new Error(`AUTH_SIGNING_KEY ${error.message}`) : error;
  });
  // Token requests and each request's status check read clients on a replica (the writer when there
  // is none or all are down), so tokens are issued and reads served while the primary is down. A
  // revocation takes replication lag to refuse new tokens, and that plus the status cache's few
  // seconds to refuse tokens already issued.
  const clients = createSqlClientStore(deps.db.reader());
  const statusStore = clients;
  const hasher = createScryptSecretHasher(deps.scrypt);
  const signer = createJwtSigner({
    key,
    ...settings,
    ttlSeconds: settings.tokenTtlSeconds,
    clock: deps.clock,
  });
  const admin = createClientAdmin(deps);
  const { bootstrapClient } = settings;
  // Both hash with scrypt on libuv's thread pool: side by side, start-up waits for one, not two.
  const [decoyHash] = await Promise.all([
    hasher.hash(randomClientSecret()),
    bootstrapClient && admin.ensure(bootstrapClient.id, BOOTSTRAP_CLIENT_NAME, bootstrapClient.secret),
  ]);
  const issuer = new TokenIssuer({ clients, hasher, signer, decoyHash });
  const verifier = cachingTokenVerifier(createLocalTokenVerifier(key, { ...settings, clock: deps.clock }), {
    clock: deps.clock,
  });
  return {
    authenticator: new BearerAuthenticator(
      verifier,
      new ClientStatus(statusStore, deps.clock, deps.tracer ? { tracer: deps.tracer } : {}),
    ),
    routes: createAuthRoutes({ issuer, jwks: { keys: [key.publicJwk] } }),
    admin,
  };
}

/** Client administration on the database alone: the clients CLI and the development client. */
export function createClientAdmin(deps: AuthDeps): ClientAdmin {
  return new ClientAdmin({
    clients: createSqlClientStore(deps.db.writer()),
    hasher: createScryptSecretHasher(deps.scrypt),
    clock: deps.clock,
    ids: deps.ids,
    scopes: deps.scopes,
    newSecret: randomClientSecret,
  });
}
