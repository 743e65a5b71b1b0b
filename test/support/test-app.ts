// The production app (createApp) on a test database, for driving with `inject`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { createApp, type AppDependencies } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { ConnectionPool } from '../../src/db/connection-pool.ts';
import { loggerOptions } from '../../src/telemetry/logger-options.ts';
import { TEST_AUTH_ENV, TEST_SCRYPT } from './test-auth.ts';
import { testResolver } from './test-resolver.ts';

export const TEST_HMAC_SECRET = 'test-secret-test-secret-test-secret!';

/**
 * Rate limits and load shedding would make unrelated tests depend on how many requests came before
 * and on how busy the machine is; a test that is about them turns them on through `env`.
 */
const PROTECTION_OFF = { RATE_LIMIT_ENABLED: 'false', LOAD_SHEDDING_ENABLED: 'false' };

/** Test header whose value the test app takes as the request's OAuth client, when asked to. */
export const TEST_CLIENT_ID_HEADER = 'x-test-client-id';

export interface TestAppOptions extends Partial<Omit<AppDependencies, 'db'>> {
  /**
   * Environment variables, as the service would read them (defaults are the service's own, plus
   * TEST_AUTH_ENV: a test signing key and the test client; set one to '' to unset it).
   */
  env?: Record<string, string>;
  /** Take request.clientId from the X-Test-Client-Id header, standing in for authentication. */
  clientIdFromHeader?: boolean;
}

export function buildTestApp(db: ConnectionPool, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const { env = {}, clientIdFromHeader = false, ...deps } = options;
  const identifyClient = clientIdFromHeader ? clientIdFromTestHeader : deps.identifyClient;
  return createApp(loadConfig({ ...PROTECTION_OFF, ...TEST_AUTH_ENV, ...env }), {
    db,
    logger: deps.logger ?? pino(loggerOptions({ level: 'silent', serviceName: 'test' })),
    hmacSecret: deps.hmacSecret ?? TEST_HMAC_SECRET,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.ids ? { ids: deps.ids } : {}),
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
    ...(identifyClient ? { identifyClient } : {}),
    scrypt: deps.scrypt ?? TEST_SCRYPT,
    ...(deps.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: deps.jwksCooldownMs }),
    ...(deps.paymentIds ? { paymentIds: deps.paymentIds } : {}),
    // No test looks a name up on the network: webhook hosts resolve from a table.
    resolveHost: deps.resolveHost ?? testResolver(),
  });
}

/** Stands in for authentication: the request's client is whatever X-Test-Client-Id names. */
export async function clientIdFromTestHeader(request: FastifyRequest): Promise<void> {
  const value = request.headers[TEST_CLIENT_ID_HEADER];
  if (typeof value === 'string') request.clientId = value;
}
