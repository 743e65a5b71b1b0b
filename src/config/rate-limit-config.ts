// RATE_LIMIT_*: the default policy, per-route policies (RATE_LIMIT_ROUTE_<n>_PATTERN with
// RATE_LIMIT_ROUTE_<n>_POLICY_<m>_*) and the shared store. Routes are tried in ascending <n>; within a
// route, policies in ascending <m>; the first policy whose method matches applies.
import { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { boolean, duration, integer, nonEmpty, oneOf } from './env-values.ts';

export const KEY_STRATEGIES = ['remote_ip', 'client_id'] as const;
export type KeyStrategy = (typeof KEY_STRATEGIES)[number];

export interface RateLimitPolicy {
  /** Names the policy in the RateLimit and RateLimit-Policy fields and in store keys. */
  name: string;
  /** Upper-case HTTP method; undefined matches every method. */
  method: string | undefined;
  limit: number;
  windowMs: number;
  keyStrategy: KeyStrategy;
}

export interface RateLimitRoute {
  /** `/v1/profiles` (that path only) or `/v1/profiles/*` (everything below it). */
  pattern: string;
  policies: RateLimitPolicy[];
}

export interface RateLimitConfig {
  enabled: boolean;
  defaultPolicy: RateLimitPolicy;
  routes: RateLimitRoute[];
  /** true: requests no route policy matches are not limited; false: the default policy applies. */
  allowIfNoMatch: boolean;
  /** Counters live in Redis when set (shared by every instance), in process memory otherwise. */
  redisUrl: string | undefined;
  /** Open windows the memory store keeps at most; past it, new clients take the store-failure path. */
  memoryMaxKeys: number;
  redisKeyPrefix: string;
  /** Bound on connecting to and on each command of Redis: a hung Redis must not hang requests. */
  redisTimeoutMs: number;
  /** Redis unreachable: true lets requests through unlimited, false answers 503. */
  redisFailOpen: boolean;
}

const WINDOW = duration({ min: 1000, max: 24 * 3_600_000 });
const LIMIT = integer({ min: 1, max: 1_000_000_000 });
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', '*'] as const;

export const rateLimitVariables = {
  RATE_LIMIT_ENABLED: boolean.default(true),
  RATE_LIMIT_DEFAULT_LIMIT: LIMIT.default(100),
  RATE_LIMIT_DEFAULT_WINDOW: WINDOW.default(60_000),
  RATE_LIMIT_DEFAULT_KEY_STRATEGY: oneOf(KEY_STRATEGIES).default('client_id'),
  RATE_LIMIT_ALLOW_IF_NO_MATCH: boolean.default(false),
  REDIS_URL: nonEmpty
    .refine((raw) => /^rediss?:\/\//.test(raw), { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  RATE_LIMIT_MEMORY_MAX_KEYS: integer({ min: 100, max: 100_000_000 }).default(1_000_000),
  RATE_LIMIT_REDIS_KEY_PREFIX: nonEmpty.default('rate-limit:'),
  RATE_LIMIT_REDIS_TIMEOUT: duration({ min: 10, max: 10_000 }).default(250),
  RATE_LIMIT_REDIS_FAIL_OPEN: boolean.default(true),
};

/** The indexed variables in their first form, for the documentation check. */
export const ROUTE_VARIABLE_EXAMPLES = [
  'RATE_LIMIT_ROUTE_1_PATTERN',
  'RATE_LIMIT_ROUTE_1_POLICY_1_METHOD',
  'RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT',
  'RATE_LIMIT_ROUTE_1_POLICY_1_WINDOW',
  'RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY',
];

type ScalarValues = z.output<z.ZodObject<typeof rateLimitVariables>>;

const ROUTE_KEY = /^RATE_LIMIT_ROUTE_(\d+)_(.+)$/;
const POLICY_FIELD = /^POLICY_(\d+)_(METHOD|LIMIT|WINDOW|KEY_STRATEGY)$/;

const policySchema = z.object({
  METHOD: z
    .string()
    .transform((raw) => raw.trim().toUpperCase())
    .pipe(oneOf(HTTP_METHODS))
    .optional(),
  LIMIT: LIMIT,
  WINDOW: WINDOW.optional(),
  KEY_STRATEGY: oneOf(KEY_STRATEGIES).optional(),
});

interface RawRoute {
  pattern?: string;
  policies: Map<number, Record<string, string>>;
}

/**
 * Builds the rate limit settings; every bad variable becomes an issue, none stops the others. With
 * `values` undefined (other variables were bad) the routes are still checked, so one error names
 * every problem, and nothing is returned.
 */
export function rateLimitConfigFrom(
  values: ScalarValues | undefined,
  env: Readonly<Record<string, string>>,
  issues: ConfigIssue[],
): RateLimitConfig | undefined {
  const defaultPolicy: RateLimitPolicy = {
    name: 'default',
    method: undefined,
    limit: values?.RATE_LIMIT_DEFAULT_LIMIT ?? 1,
    windowMs: values?.RATE_LIMIT_DEFAULT_WINDOW ?? 60_000,
    keyStrategy: values?.RATE_LIMIT_DEFAULT_KEY_STRATEGY ?? 'client_id',
  };
  const routes = readRoutes(env, defaultPolicy, issues);
  if (!values) return undefined;
  return {
    enabled: values.RATE_LIMIT_ENABLED,
    defaultPolicy,
    routes,
    allowIfNoMatch: values.RATE_LIMIT_ALLOW_IF_NO_MATCH,
    redisUrl: values.REDIS_URL,
    memoryMaxKeys: values.RATE_LIMIT_MEMORY_MAX_KEYS,
    redisKeyPrefix: values.RATE_LIMIT_REDIS_KEY_PREFIX,
    redisTimeoutMs: values.RATE_LIMIT_REDIS_TIMEOUT,
    redisFailOpen: values.RATE_LIMIT_REDIS_FAIL_OPEN,
  };
}

function readRoutes(
  env: Readonly<Record<string, string>>,
  defaults: RateLimitPolicy,
  issues: ConfigIssue[],
): RateLimitRoute[] {
  const raw = new Map<number, RawRoute>();
  for (const [key, value] of Object.entries(env)) {
    const match = ROUTE_KEY.exec(key);
    if (!match) continue;
    const [, index, rest] = match as unknown as [string, string, string];
    const route: RawRoute = raw.get(Number(index)) ?? { policies: new Map() };
    raw.set(Number(index), route);
    if (rest === 'PATTERN') {
      route.pattern = value;
      continue;
    }
    const field = POLICY_FIELD.exec(rest);
    if (!field) {
      issues.push({
        variable: key,
        message: `unknown variable; expected RATE_LIMIT_ROUTE_${index}_PATTERN or RATE_LIMIT_ROUTE_${index}_POLICY_<m>_METHOD, _LIMIT, _WINDOW or _KEY_STRATEGY`,
      });
      continue;
    }
    const [, policyIndex, name] = field as unknown as [string, string, string];
    const policy = route.policies.get(Number(policyIndex)) ?? {};
    policy[name] = value;
    route.policies.set(Number(policyIndex), policy);
  }

  const routes: RateLimitRoute[] = [];
  for (const [index, route] of [...raw.entries()].sort(([a], [b]) => a - b)) {
    const prefix = `RATE_LIMIT_ROUTE_${index}_`;
    const pattern = route.pattern?.trim();
    if (pattern === undefined) {
      issues.push({ variable: `${prefix}PATTERN`, message: 'is required when the route has policies' });
    } else if (!isPattern(pattern)) {
      issues.push({
        variable: `${prefix}PATTERN`,
        message: `must be a path like /v1/profiles or /v1/profiles/* (got "${pattern}")`,
      });
    }
    if (route.policies.size === 0) {
      issues.push({ variable: `${prefix}POLICY_1_LIMIT`, message: 'is required: a route needs a policy' });
    }
    const policies: RateLimitPolicy[] = [];
    for (const [policyIndex, fields] of [...route.policies.entries()].sort(([a], [b]) => a - b)) {
      const policyPrefix = `${prefix}POLICY_${policyIndex}_`;
      const parsed = policySchema.safeParse(fields);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0]);
          issues.push({
            variable: `${policyPrefix}${field}`,
            message: fields[field] === undefined ? 'is required' : issue.message,
          });
        }
        continue;
      }
      const method = parsed.data.METHOD;
      policies.push({
        name: `route-${index}-${policyIndex}`,
        method: method === undefined || method === '*' ? undefined : method,
        limit: parsed.data.LIMIT,
        windowMs: parsed.data.WINDOW ?? defaults.windowMs,
        keyStrategy: parsed.data.KEY_STRATEGY ?? defaults.keyStrategy,
      });
    }
    if (pattern !== undefined && isPattern(pattern)) routes.push({ pattern, policies });
  }
  return routes;
}

function isPattern(pattern: string): boolean {
  return /^\/[^\s*?#]*(\/\*)?$/.test(pattern);
}
