// Which configured policy governs a request: the first route (in configuration order) whose pattern
// matches the path and that has a policy for the method; else the default policy, or none when
// unmatched requests are allowed through.
import type { RateLimitPolicy, RateLimitRoute } from '../../config/rate-limit-config.ts';

interface CompiledRoute {
  matches: (path: string) => boolean;
  policies: readonly RateLimitPolicy[];
}

export interface PolicySettings {
  routes: readonly RateLimitRoute[];
  defaultPolicy: RateLimitPolicy;
  allowIfNoMatch: boolean;
}

export class PolicyMatcher {
  readonly #routes: CompiledRoute[];
  readonly #fallback: RateLimitPolicy | undefined;

  constructor(settings: PolicySettings) {
    this.#routes = settings.routes.map((route) => ({
      matches: compilePattern(route.pattern),
      policies: route.policies,
    }));
    this.#fallback = settings.allowIfNoMatch ? undefined : settings.defaultPolicy;
  }

  /** `path` without the query string. Undefined: the request is not limited. */
  policyFor(method: string, path: string): RateLimitPolicy | undefined {
    const upper = method.toUpperCase();
    for (const route of this.#routes) {
      if (!route.matches(path)) continue;
      const policy = route.policies.find((candidate) => appliesTo(candidate, upper));
      if (policy) return policy;
    }
    return this.#fallback;
  }
}

function appliesTo(policy: RateLimitPolicy, method: string): boolean {
  // A GET policy covers HEAD too, as the routes themselves do.
  return (
    policy.method === undefined || policy.method === method || (policy.method === 'GET' && method === 'HEAD')
  );
}

/** `/a/b` matches that path (a trailing slash aside); `/a/*` matches every path below `/a`. */
export function compilePattern(pattern: string): (path: string) => boolean {
  if (pattern.endsWith('/*')) {
    const base = pattern.slice(0, -1);
    return (path) => path.startsWith(base) && path.length > base.length;
  }
  const exact = pattern.endsWith('/') && pattern.length > 1 ? pattern.slice(0, -1) : pattern;
  return (path) => path === exact || path === `${exact}/`;
}
