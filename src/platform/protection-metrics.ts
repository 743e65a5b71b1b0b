/**
 * Requests the service refused to protect itself. The rate limiter and the load shedder record here,
 * one line each (see docs/observability.md); the numbers feed the dashboard and the SLO alerts.
 */
export interface ProtectionMetrics {
  /** A request answered 429 by the rate limiter. `route`: the route template, '' when none matched. */
  rateLimitRejected(route: string): void;
  /** A request answered 503 because the process is overloaded. `reason`: what was over its limit. */
  loadShed(reason: string): void;
  /** The rate limiter's shared store (Redis) failed or timed out; the request was let through or refused per policy. */
  rateLimitStoreFailed(): void;
}

export const noopProtectionMetrics: ProtectionMetrics = {
  rateLimitRejected: () => undefined,
  loadShed: () => undefined,
  rateLimitStoreFailed: () => undefined,
};
