// A server with the sample API and rate limits from environment variables, recording what the
// limiter reports, for the rate limit tests.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import type { ProtectionMetrics } from '../../src/platform/protection-metrics.ts';
import { buildServer } from '../../src/server/build-server.ts';
import { createRateLimitStore } from '../../src/server/rate-limit/create-rate-limit-store.ts';
import { sampleApi } from '../support/sample-api.ts';
import { clientIdFromTestHeader } from '../support/test-app.ts';

export class RecordingProtectionMetrics implements ProtectionMetrics {
  readonly rejected: string[] = [];
  readonly shed: string[] = [];
  storeFailures = 0;
  rateLimitRejected(route: string): void {
    this.rejected.push(route);
  }
  loadShed(reason: string): void {
    this.shed.push(reason);
  }
  rateLimitStoreFailed(): void {
    this.storeFailures += 1;
  }
}

export interface LimitedServer {
  app: FastifyInstance;
  metrics: RecordingProtectionMetrics;
  logLines: Record<string, unknown>[];
}

export async function buildLimitedServer(env: Record<string, string>): Promise<LimitedServer> {
  const config = loadConfig(env);
  const logLines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const metrics = new RecordingProtectionMetrics();
  let counter = 0;
  const app = await buildServer({
    logger,
    ids: { next: () => `id-${++counter}` },
    http: { requestTimeoutMs: 5000, headersTimeoutMs: 2000, keepAliveTimeoutMs: 5000, bodyLimitBytes: 1024 },
    apis: [sampleApi],
    readiness: { database: async () => ({ ok: true, endpoints: [] }) },
    hardening: config.hardening,
    rateLimit: {
      policies: config.rateLimit,
      store: await createRateLimitStore(config.rateLimit, logger),
      failOpen: config.rateLimit.redisFailOpen,
    },
    identifyClient: clientIdFromTestHeader,
    protectionMetrics: metrics,
  });
  return { app, metrics, logLines };
}

/**
 * Builds limited servers for the calling test file and closes them after each test; call it at the
 * top of the file.
 */
export function limitedServers(): (env: Record<string, string>) => Promise<LimitedServer> {
  const servers: LimitedServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.app.close();
  });
  return async (env) => {
    const server = await buildLimitedServer(env);
    servers.push(server);
    return server;
  };
}
