// The one app factory for production and tests: every option (timeouts, validation, parsers,
// problem responses) is applied here, so tests exercise exactly what production runs.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import './fastify-augmentation.ts';
import type { HttpHardeningConfig } from '../config/http-hardening-config.ts';
import type { LoadSheddingConfig } from '../config/load-shedding-config.ts';
import type { IdGenerator } from '../platform/ids.ts';
import { noopProtectionMetrics, type ProtectionMetrics } from '../platform/protection-metrics.ts';
import { registerCors } from './cors.ts';
import { registerAuthenticationHook, type RequestAuthenticator } from './authentication-hook.ts';
import { handleError, handleFrameworkError } from './error-handler.ts';
import { registerHealthRoutes, type ReadinessCheck } from './health-routes.ts';
import { registerJsonParsers } from './json-parsers.ts';
import { registerLoadShedding } from './load-shedding.ts';
import { registerNotFoundHandler } from './not-found-handler.ts';
import { registerRateLimit, type RateLimitOptions } from './rate-limit/register-rate-limit.ts';
import { ProblemDialects } from './problem-dialects.ts';
import { registerApi, type ApiRegistration } from './register-api.ts';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.ts';
import {
  handleClientError,
  isUrlTooLong,
  registerUrlLengthLimit,
  sendUrlTooLong,
} from './request-size-limits.ts';
import { RouteMatcher } from './route-matcher.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { METRICS_PATH, registerTelemetry, type ServerTelemetry } from './server-telemetry.ts';
import { createSerializerCompiler } from './serializer-compiler.ts';
import { createValidatorCompiler } from './validator-compiler.ts';
import { AccessLogController } from './access-log.ts';
import { runWorkersWhileListening } from './background-workers.ts';
import type { BackgroundWorker } from './service-module.ts';

export interface ServerOptions {
  logger: FastifyBaseLogger;
  ids: IdGenerator;
  http: {
    /** Whole request, from first byte to response (Node's server.requestTimeout). */
    requestTimeoutMs: number;
    /** Receiving the request headers (slowloris bound). */
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    bodyLimitBytes: number;
    /** A handler still running after this is answered 503. 0 disables. */
    handlerTimeoutMs?: number;
  };
  apis: readonly ApiRegistration[];
  /** Reads each request's access token; without it every request is anonymous. */
  authenticator?: RequestAuthenticator;
  /**
   * Routes a module registers by hand (the OAuth token endpoint and JWKS), in an encapsulated
   * context of their own; `routes` lets 405 answers know them.
   */
  plugins?: readonly HandRegisteredRoutes[];
  readiness: ReadinessCheck;
  /** W3C trace id of the active span; returns '' when tracing is off. */
  currentTraceId?: () => string;
  /** RED metrics, span names and /metrics; absent when telemetry is off. */
  telemetry?: ServerTelemetry;
  /** CORS, HSTS, proxies, header and URL bounds; the defaults below when absent. */
  hardening?: HttpHardeningConfig;
  /** Absent or disabled: nothing is shed. */
  loadShedding?: LoadSheddingConfig;
  /** Absent: nothing is limited. */
  rateLimit?: Omit<RateLimitOptions, 'metrics' | 'exemptRoutes'>;
  /**
   * Sets request.clientId before rate limits are checked (authentication plugs in here). Runs as an
   * onRequest hook; a rejection becomes a problem response through the error handler.
   */
  identifyClient?: (request: FastifyRequest) => Promise<void>;
  /** Where rate limiting and load shedding count refusals; telemetry's when absent. */
  protectionMetrics?: ProtectionMetrics;
  /** The modules' background work: run while the server listens. */
  workers?: readonly BackgroundWorker[];
}

const DEFAULT_HARDENING: HttpHardeningConfig = {
  corsAllowedOrigins: [],
  hstsEnabled: false,
  trustProxy: false,
  maxHeaderSizeBytes: 16 * 1024,
  maxUrlLength: 4096,
};

/** Operational endpoints: never rate limited; liveness and metrics are never shed either. */
const NEVER_LIMITED = new Set(['/healthz', '/readyz', METRICS_PATH]);
const NEVER_SHED = new Set(['/healthz', METRICS_PATH]);

export interface HandRegisteredRoutes {
  routes: readonly { method: string; url: string }[];
  register: (app: FastifyInstance) => Promise<void>;
}

function problemDialectsOf(apis: readonly ApiRegistration[]): ProblemDialects {
  const dialects = new ProblemDialects();
  for (const api of apis) {
    const basePaths = api.problemBasePaths ?? [];
    if (basePaths.length > 0 && !api.problemDialect) {
      throw new Error(`API ${api.name}: problemBasePaths without a problemDialect`);
    }
    for (const basePath of basePaths) dialects.add(api.name, basePath, api.problemDialect!);
  }
  return dialects;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { http } = options;
  const hardening = options.hardening ?? DEFAULT_HARDENING;
  const protectionMetrics =
    options.protectionMetrics ?? options.telemetry?.protection ?? noopProtectionMetrics;
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new AccessLogController(),
    genReqId: requestIdGenerator(options.ids),
    requestIdHeader: false,
    bodyLimit: http.bodyLimitBytes,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.requestTimeoutMs,
    handlerTimeout: http.handlerTimeoutMs ?? 0,
    // Keep-alive sockets with no request in flight are closed at shutdown; busy ones finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: hardening.trustProxy,
    http: { maxHeaderSize: hardening.maxHeaderSizeBytes },
    clientErrorHandler: handleClientError,
    // A long path fails routing (a parameter over maxParamLength) before any hook: still a 414.
    frameworkErrors: (error, request, reply) => {
      if (isUrlTooLong(request, hardening.maxUrlLength))
        void sendUrlTooLong(request, reply, hardening.maxUrlLength);
      else handleFrameworkError(error, request, reply);
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  app.server.headersTimeout = http.headersTimeoutMs;

  app.decorate('problemDialects', problemDialectsOf(options.apis));
  const currentTraceId = options.currentTraceId ?? (() => '');
  app.decorateRequest('traceId', { getter: currentTraceId });
  app.decorateRequest('clientId', undefined);
  app.decorateRequest('grantedScopes', undefined);
  app.decorateRequest('authenticationFailure', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  registerSecurityHeaders(app, { hstsEnabled: hardening.hstsEnabled });
  registerUrlLengthLimit(app, hardening.maxUrlLength);
  if (options.loadShedding) {
    await registerLoadShedding(app, {
      config: options.loadShedding,
      metrics: protectionMetrics,
      exemptRoutes: NEVER_SHED,
    });
  }
  await registerCors(app, hardening.corsAllowedOrigins);
  // Authentication runs before the rate limits, which key by request.clientId; after load shedding
  // and CORS, so neither an overloaded process nor a preflight pays for verifying a token.
  if (options.authenticator) registerAuthenticationHook(app, options.authenticator);
  const { identifyClient } = options;
  if (identifyClient) app.addHook('onRequest', async (request) => identifyClient(request));
  if (options.rateLimit) {
    registerRateLimit(app, { ...options.rateLimit, metrics: protectionMetrics, exemptRoutes: NEVER_LIMITED });
  }

  app.setValidatorCompiler(createValidatorCompiler());
  app.setSerializerCompiler(createSerializerCompiler());
  registerJsonParsers(app);
  app.setErrorHandler(handleError);

  const routes = new RouteMatcher();
  if (options.telemetry) registerTelemetry(app, options.telemetry, routes);
  registerHealthRoutes(app, options.readiness, routes);
  for (const api of options.apis) registerApi(app, api, routes);
  for (const plugin of options.plugins ?? []) {
    for (const route of plugin.routes) routes.add(route.method, route.url);
    await app.register(plugin.register);
  }
  registerNotFoundHandler(app, routes);
  runWorkersWhileListening(app, options.workers ?? []);

  await app.ready();
  return app;
}
