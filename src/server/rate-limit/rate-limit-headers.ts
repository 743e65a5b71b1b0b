// The fields that tell a client where it stands: the long-established X-RateLimit-* trio and the
// IETF ones (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "default";q=100;w=60` and
// `RateLimit: "default";r=42;t=17`.
import type { RateLimitPolicy } from '../../config/rate-limit-config.ts';
import type { WindowCount } from './rate-limit-store.ts';

export const RATE_LIMIT_HEADER_NAMES = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset-Seconds',
  'RateLimit',
  'RateLimit-Policy',
] as const;

export interface RateLimitState {
  remaining: number;
  /** Whole seconds until the window resets (at least 1 while it is open). */
  resetSeconds: number;
  exceeded: boolean;
}

export function rateLimitState(policy: RateLimitPolicy, window: WindowCount): RateLimitState {
  return {
    remaining: Math.max(0, policy.limit - window.count),
    resetSeconds: Math.max(1, Math.ceil(window.resetInMs / 1000)),
    exceeded: window.count > policy.limit,
  };
}

export function rateLimitHeaders(policy: RateLimitPolicy, state: RateLimitState): Record<string, string> {
  const windowSeconds = Math.ceil(policy.windowMs / 1000);
  return {
    'X-RateLimit-Limit': String(policy.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset-Seconds': String(state.resetSeconds),
    'RateLimit-Policy': `"${policy.name}";q=${policy.limit};w=${windowSeconds}`,
    RateLimit: `"${policy.name}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}
