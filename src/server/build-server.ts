// The one app factory for production and tests: every option (timeouts, validation, parsers,
// problem responses) is applied here, so tests exercise exactly what production runs.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import './fastify-augmentation.ts';
import type { IdGenerator } from '../platform/ids.ts';
import { registerAuthenticationHook, type RequestAuthenticator } from './authentication-hook.ts';
import { handleError, handleFrameworkError } from './error-handler.ts';
import { registerHealthRoutes, type ReadinessCheck } from './health-routes.ts';
import { registerJsonParsers } from './json-parsers.ts';
import { registerNotFoundHandler } from './not-found-handler.ts';
import { registerApi, type ApiRegistration } from './register-api.ts';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.ts';
import { RouteMatcher } from './route-matcher.ts';
import { registerTelemetry, type ServerTelemetry } from './server-telemetry.ts';
import { createValidatorCompiler } from './validator-compiler.ts';

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
}

export interface HandRegisteredRoutes {
  routes: readonly { method: string; url: string }[];
  register: (app: FastifyInstance) => Promise<void>;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { http } = options;
  const app = Fastify({
    loggerInstance: options.logger,
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
    frameworkErrors: handleFrameworkError,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  app.server.headersTimeout = http.headersTimeoutMs;

  const currentTraceId = options.currentTraceId ?? (() => '');
  app.decorateRequest('traceId', { getter: currentTraceId });
  app.decorateRequest('clientId', undefined);
  app.decorateRequest('grantedScopes', undefined);
  app.decorateRequest('authenticationFailure', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // Before any protection hook, so those can tell clients apart (request.clientId).
  if (options.authenticator) registerAuthenticationHook(app, options.authenticator);

  app.setValidatorCompiler(createValidatorCompiler());
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

  await app.ready();
  return app;
}
