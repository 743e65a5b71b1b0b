// What the server needs from telemetry, and the hooks that feed it. Without telemetry (OTEL_SDK_DISABLED)
// none of this is registered, and /metrics does not exist.
import type { FastifyInstance } from 'fastify';
import type { ProtectionMetrics } from '../platform/protection-metrics.ts';
import type { RouteMatcher } from './route-matcher.ts';

export interface CompletedRequest {
  method: string;
  /** Route template (`/v1/profiles/:id`); undefined when no route matched. */
  route: string | undefined;
  status: number;
  durationSeconds: number;
}

export interface ServerTelemetry {
  /** Names the request's span after its route template; called once routing is known. */
  routeMatched(route: string): void;
  /** Records the request's duration, route and status (the RED metrics). */
  requestCompleted(request: CompletedRequest): void;
  /** Read replicas the readiness check found down (0: all answer), for the degraded-state alert. */
  replicasChecked(unavailable: number): void;
  /** For the rate limiter and the load shedder. */
  protection: ProtectionMetrics;
  /** Every metric in the Prometheus text format. */
  scrapeMetrics(): Promise<{ contentType: string; body: string }>;
}

export const METRICS_PATH = '/metrics';

export function registerTelemetry(
  app: FastifyInstance,
  telemetry: ServerTelemetry,
  routes: RouteMatcher,
): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined) telemetry.routeMatched(route);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    telemetry.requestCompleted({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
    done();
  });

  // An operational endpoint like /healthz: not part of any API contract. Scraped every few seconds,
  // so its requests are logged only when something goes wrong.
  routes.add('GET', METRICS_PATH);
  app.get(METRICS_PATH, { logLevel: 'warn' }, async (_request, reply) => {
    const { contentType, body } = await telemetry.scrapeMetrics();
    return reply.type(contentType).send(body);
  });
}
