// The rate limiter as an onRequest hook. It runs after authentication (which sets request.clientId)
// and after CORS (so preflights are never counted), and before body parsing: a refused request costs
// one store round trip and nothing else.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitPolicy } from '../../config/rate-limit-config.ts';
import { problemType } from '../../platform/problem.ts';
import type { ProtectionMetrics } from '../../platform/protection-metrics.ts';
import { problemFor, sendProblem } from '../problem-reply.ts';
import { addressKey } from './address-key.ts';
import { PolicyMatcher, type PolicySettings } from './policy-matcher.ts';
import { rateLimitHeaders, rateLimitState } from './rate-limit-headers.ts';
import type { RateLimitStore } from './rate-limit-store.ts';
import { throttledWarning } from './throttled-warning.ts';

/** One warning per this interval while the store keeps failing. */
const STORE_WARNING_INTERVAL_MS = 30_000;
const STORE_FAILURE_RETRY_AFTER_SECONDS = 1;

export interface RateLimitOptions {
  policies: PolicySettings;
  /** Owned by the server from now on: closed with it. */
  store: RateLimitStore;
  /** Store unreachable: true lets the request through, false answers 503. */
  failOpen: boolean;
  metrics: ProtectionMetrics;
  /** Route templates never limited: health, readiness and metrics must answer however busy clients are. */
  exemptRoutes: ReadonlySet<string>;
}

export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const { store, metrics, exemptRoutes } = options;
  const matcher = new PolicyMatcher(options.policies);
  const warnStoreFailed = throttledWarning(
    app.log,
    options.failOpen
      ? 'rate limit store failed: requests pass unlimited until it answers again'
      : 'rate limit store failed: requests are refused until it answers again',
    STORE_WARNING_INTERVAL_MS,
  );

  app.addHook('onClose', async () => store.close());
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && exemptRoutes.has(route)) return;
    const policy = matcher.policyFor(request.method, pathOf(request.url));
    if (!policy) return;

    let window;
    try {
      window = await store.hit(keyFor(policy, request), policy.windowMs);
    } catch (error) {
      metrics.rateLimitStoreFailed();
      warnStoreFailed(error);
      if (options.failOpen) return;
      reply.header('Retry-After', STORE_FAILURE_RETRY_AFTER_SECONDS);
      return sendProblem(
        reply,
        problemFor(request, {
          status: 503,
          type: problemType('rate-limit-unavailable'),
          title: 'Rate limiting is unavailable',
          detail: 'The request could not be checked against its rate limit; retry shortly.',
        }),
      );
    }

    const state = rateLimitState(policy, window);
    reply.headers(rateLimitHeaders(policy, state));
    if (!state.exceeded) return;
    metrics.rateLimitRejected(route ?? '');
    reply.header('Retry-After', state.resetSeconds);
    return sendProblem(
      reply,
      problemFor(request, {
        status: 429,
        type: problemType('rate-limited'),
        title: 'Too Many Requests',
        detail: `At most ${policy.limit} requests per ${Math.ceil(policy.windowMs / 1000)} seconds; retry in ${state.resetSeconds} seconds.`,
      }),
    );
  });
}

/**
 * Policies count separately; clients are told apart by OAuth client when the policy says so and the
 * request is authenticated, by remote address otherwise (an IPv6 /64 as one; behind a proxy: TRUST_PROXY).
 */
function keyFor(policy: RateLimitPolicy, request: FastifyRequest): string {
  const client =
    policy.keyStrategy === 'client_id' && request.clientId !== undefined
      ? `client:${request.clientId}`
      : `ip:${addressKey(request.ip)}`;
  return `${policy.name}:${client}`;
}

function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
