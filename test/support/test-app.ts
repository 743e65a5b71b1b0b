// The production app (createApp) on a test database, for driving with `inject`.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApp, type AppDependencies } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { ConnectionPool } from '../../src/db/connection-pool.ts';
import { TEST_AUTH_ENV, TEST_SCRYPT } from './test-auth.ts';

export const TEST_HMAC_SECRET = 'test-secret-test-secret-test-secret!';

export interface TestAppOptions extends Partial<Omit<AppDependencies, 'db'>> {
  /**
   * Environment variables, as the service would read them (defaults are the service's own, plus
   * TEST_AUTH_ENV: a test signing key and the test client; set one to '' to unset it).
   */
  env?: Record<string, string>;
}

export function buildTestApp(db: ConnectionPool, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const { env = {}, ...deps } = options;
  return createApp(loadConfig({ ...TEST_AUTH_ENV, ...env }), {
    db,
    logger: deps.logger ?? pino({ level: 'silent' }),
    hmacSecret: deps.hmacSecret ?? TEST_HMAC_SECRET,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.ids ? { ids: deps.ids } : {}),
    scrypt: deps.scrypt ?? TEST_SCRYPT,
    ...(deps.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: deps.jwksCooldownMs }),
  });
}
