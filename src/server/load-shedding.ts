// Load shedding: past an event loop delay, heap or RSS threshold, new requests get a fast 503 with
// Retry-After instead of joining a queue that would time them all out. Liveness (/healthz) and
// /metrics always answer, so an orchestrator does not restart a process that is merely busy; readiness
// is shed with the rest, which takes the instance out of rotation until it recovers.
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoadSheddingConfig } from '../config/load-shedding-config.ts';
import { PROBLEM_CONTENT_TYPE, problemType } from '../platform/problem.ts';
import type { ProtectionMetrics } from '../platform/protection-metrics.ts';
import { problemFor, renderProblem } from './problem-reply.ts';

export interface LoadSheddingOptions {
  config: LoadSheddingConfig;
  metrics: ProtectionMetrics;
  /** Route templates that answer however loaded the process is. */
  exemptRoutes: ReadonlySet<string>;
}

export async function registerLoadShedding(
  app: FastifyInstance,
  options: LoadSheddingOptions,
): Promise<void> {
  const { config, metrics, exemptRoutes } = options;
  if (!config.enabled) return;

  // under-pressure samples the event loop from here on, and building the server (compiling every
  // route's schemas) blocks it for a while before the server is ready: the first samples would
  // report that as overload and shed the first requests of an idle process, /readyz included. The
  // delay counts from the first sample taken wholly after the server is ready.
  let delayCountsFrom = Number.POSITIVE_INFINITY;
  app.addHook('onReady', async () => {
    delayCountsFrom = performance.now() + 2 * config.sampleIntervalMs;
  });

  // under-pressure sends what the handler returns; undefined lets the request through.
  const shed = (request: FastifyRequest, reply: FastifyReply, type: string): object | undefined => {
    const route = request.routeOptions.url;
    if (route !== undefined && exemptRoutes.has(route)) return undefined;
    if (type === 'eventLoopDelay' && performance.now() < delayCountsFrom) return undefined;
    metrics.loadShed(type);
    request.log.warn({ reason: type }, 'request shed: the process is overloaded');
    reply.code(503).type(PROBLEM_CONTENT_TYPE).header('Retry-After', config.retryAfterSeconds);
    return renderProblem(
      request,
      problemFor(request, {
        status: 503,
        type: problemType('overloaded'),
        title: 'Service Unavailable',
        detail: `The server is overloaded; retry in ${config.retryAfterSeconds} seconds.`,
      }),
    );
  };

  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    maxRssBytes: config.maxRssBytes,
    sampleInterval: config.sampleIntervalMs,
    retryAfter: config.retryAfterSeconds,
    // The declared type says void, but the plugin sends any value returned (see above).
    pressureHandler: shed as unknown as (request: FastifyRequest, reply: FastifyReply, type: string) => void,
  });
}
