// Wires the modules onto a database and builds the HTTP server: everything main.ts does except
// reading the environment, opening the database, listening and handling signals. Tests build the
// very same app with `createApp` and drive it with `inject`.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { createAuth, type AuthSettings } from './auth/create-auth.ts';
import type { ScryptParameters } from './auth/secrets/scrypt-secret-hasher.ts';
import type { Config } from './config/config.ts';
import type { ConnectionPool } from './db/connection-pool.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { HmacSigner } from './platform/hmac-signer.ts';
import { randomUuidGenerator, uuidV7Generator, type IdGenerator } from './platform/ids.ts';
import type { PaymentIds } from './payment/domain/payment-ids.ts';
import type { WebhookNetwork } from './payment/events/event-pipeline.ts';
import { createPaymentModule } from './payment/payment-module.ts';
import type { ResolveHost } from './payment/webhooks/webhook-target-policy.ts';
import { createProfileModule } from './profile/profile-module.ts';
// npm run new:module adds the new module's import above this line (docs/extending.md).
import { createApiDocs } from './server/api-docs.ts';
import { buildServer } from './server/build-server.ts';
import { contractScopes } from './server/contract-scopes.ts';
import type { ServiceModule } from './server/service-module.ts';
import { createRateLimitStore } from './server/rate-limit/create-rate-limit-store.ts';
import { disabledTelemetry, type Telemetry } from './telemetry/telemetry.ts';

export interface AppDependencies {
  db: ConnectionPool;
  logger: FastifyBaseLogger;
  hmacSecret: string;
  clock?: Clock;
  ids?: IdGenerator;
  /** Request ids (X-Request-Id) when the client sends none; random UUIDs when absent. */
  requestIds?: IdGenerator;
  /** Traces, metrics and trace ids in logs; off when absent. */
  telemetry?: Telemetry;
  /** Sets request.clientId after authentication, ahead of the rate limits (tests name clients). */
  identifyClient?: (request: FastifyRequest) => Promise<void>;
  /** The token signing key when the configuration has none (embedded mode's generated one). */
  signingKey?: string;
  /** Cheaper client-secret hashing for tests. */
  scrypt?: ScryptParameters;
  /** Least time between fetches of an external provider's JWKS; tests shorten jose's 30 s. */
  jwksCooldownMs?: number;
  /** The payload signing key when the configuration has none (embedded mode's generated one). */
  payloadSigningKey?: string;
  /** Predictable Payment identifiers for tests. */
  paymentIds?: PaymentIds;
  /** How webhook host names are resolved (the operating system's resolver by default). */
  resolveHost?: ResolveHost;
  /** Migrations the database lacks; the service is not ready while there are any. */
  pendingMigrations?: () => Promise<readonly string[]>;
  /** The webhook signing secret when the configuration has none (embedded mode's generated one). */
  webhookSigningSecret?: string;
  /** How webhook requests reach receivers (tests inject resolver, connector and trust). */
  webhookNetwork?: WebhookNetwork;
  /** This instance's name on its event relay claims (tests name their instances). */
  instance?: string;
}

export async function createApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const { db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? uuidV7Generator;
  const signer = new HmacSigner(deps.hmacSecret);
  const telemetry = deps.telemetry ?? disabledTelemetry;

  // What a CRUD module (Profile's shape, and every module npm run new:module makes) is built from.
  const moduleSettings = {
    txTimeoutMs: config.txTimeoutMs,
    cursorTtlSeconds: config.pagination.cursorTtlSeconds,
  };
  const moduleDeps = { db, clock, ids, signer, tracer: telemetry.tracer, meter: telemetry.meter };
  // One factory per module; each returns its APIs and metrics and keeps the rest to itself.
  const modules: ServiceModule[] = [
    createProfileModule(moduleSettings, moduleDeps),
    await createPaymentModule(
      {
        payment: config.payment,
        events: config.events,
        webhookSigningSecret: config.events.webhooks.signingSecret ?? deps.webhookSigningSecret,
        txTimeoutMs: config.txTimeoutMs,
        payloadSigningKey: payloadSigningKey(config, deps),
      },
      {
        db,
        clock,
        ids,
        tracer: telemetry.tracer,
        meter: telemetry.meter,
        paymentIds: deps.paymentIds,
        log: logger,
        webhookNetwork: deps.webhookNetwork,
        instance: deps.instance,
        resolveHost: deps.resolveHost,
      },
    ),
    // npm run new:module adds one factory call per new module above this line (docs/extending.md).
  ];
  const apis = modules.flatMap((module) => module.apis);

  const auth = await createAuth(authSettings(config, deps), {
    db,
    clock,
    ids,
    // The scopes clients may hold are those the registered operations require.
    scopes: contractScopes(apis.map((api) => api.operations)),
    tracer: telemetry.tracer,
    ...(deps.scrypt ? { scrypt: deps.scrypt } : {}),
    ...(deps.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: deps.jwksCooldownMs }),
  });

  const limits = config.rateLimit;
  const rateLimit = limits.enabled
    ? {
        policies: limits,
        store: await createRateLimitStore(limits, logger),
        failOpen: limits.redisFailOpen,
      }
    : undefined;

  // The page lists what is served: every registered API, and the token endpoint when issued here.
  const documented = [...apis.map((api) => api.name), ...(config.auth.mode === 'built-in' ? ['oauth'] : [])];
  const docs = config.docs.enabled ? [createApiDocs({ served: documented })] : [];

  try {
    return await buildServer({
      logger,
      ids: deps.requestIds ?? randomUuidGenerator,
      http: config.http,
      apis,
      readiness: {
        database: () => db.health(),
        readersOptional: !config.readiness.requireReplicas,
        readersChecked: (unavailable: number) => telemetry.server?.replicasChecked(unavailable),
        ...(deps.pendingMigrations ? { pendingMigrations: deps.pendingMigrations } : {}),
      },
      currentTraceId: telemetry.currentTraceId,
      telemetry: telemetry.server,
      hardening: config.hardening,
      loadShedding: config.loadShedding,
      ...(rateLimit ? { rateLimit } : {}),
      ...(deps.identifyClient ? { identifyClient: deps.identifyClient } : {}),
      authenticator: auth.authenticator,
      plugins: [auth.routes, ...docs],
      workers: modules.flatMap((module) => module.workers ?? []),
    });
  } catch (error) {
    // The server owns the store once built; until then it is ours to close.
    await rateLimit?.store.close();
    throw error;
  }
}

function authSettings(config: Config, deps: AppDependencies): AuthSettings {
  const { auth } = config;
  if (auth.mode === 'external') return auth;
  const signingKey = auth.signingKey ?? deps.signingKey;
  if (signingKey === undefined) throw new Error('no token signing key: set AUTH_SIGNING_KEY');
  return { ...auth, signingKey };
}

function payloadSigningKey(config: Config, deps: AppDependencies): string {
  const key = config.payment.payloadSigningKey ?? deps.payloadSigningKey;
  if (key === undefined) throw new Error('no payload signing key: set PIX_PAYLOAD_SIGNING_KEY');
  return key;
}
