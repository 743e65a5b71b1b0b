// A server with the sample API and the hardening settings of the given environment variables.
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import type { ProtectionMetrics } from '../../src/platform/protection-metrics.ts';
import { buildServer, type ServerOptions } from '../../src/server/build-server.ts';
import { sampleApi } from '../support/sample-api.ts';

export function buildHardenedServer(
  env: Record<string, string>,
  options: {
    logger?: Logger;
    protectionMetrics?: ProtectionMetrics;
    bodyLimitBytes?: number;
    plugins?: ServerOptions['plugins'];
  } = {},
): Promise<FastifyInstance> {
  const config = loadConfig(env);
  let counter = 0;
  return buildServer({
    logger: options.logger ?? pino({ level: 'silent' }),
    ids: { next: () => `id-${++counter}` },
    http: {
      requestTimeoutMs: 5000,
      headersTimeoutMs: 2000,
      keepAliveTimeoutMs: 5000,
      bodyLimitBytes: options.bodyLimitBytes ?? 1024,
    },
    apis: [sampleApi],
    readiness: { database: async () => ({ ok: true, endpoints: [] }) },
    hardening: config.hardening,
    loadShedding: config.loadShedding,
    ...(options.protectionMetrics ? { protectionMetrics: options.protectionMetrics } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
}
