import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './config.ts';

function issuesOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('rate limit configuration', () => {
  it('is on with a memory store and a 100 per minute default policy when nothing is set', () => {
    const { rateLimit } = loadConfig({});
    expect(rateLimit).toEqual({
      enabled: true,
      defaultPolicy: {
        name: 'default',
        method: undefined,
        limit: 100,
        windowMs: 60_000,
        keyStrategy: 'client_id',
      },
      routes: [],
      allowIfNoMatch: false,
      redisUrl: undefined,
      memoryMaxKeys: 1_000_000,
      redisKeyPrefix: 'rate-limit:',
      redisTimeoutMs: 250,
      redisFailOpen: true,
    });
  });

  it('reads route policies in index order, inheriting window and key strategy from the default', () => {
    const { rateLimit } = loadConfig({
      RATE_LIMIT_DEFAULT_WINDOW: '30s',
      RATE_LIMIT_DEFAULT_KEY_STRATEGY: 'remote_ip',
      RATE_LIMIT_ROUTE_2_PATTERN: '/v1/profiles/*',
      RATE_LIMIT_ROUTE_2_POLICY_1_LIMIT: '50',
      RATE_LIMIT_ROUTE_1_PATTERN: '/v1/profiles',
      RATE_LIMIT_ROUTE_1_POLICY_2_METHOD: 'GET',
      RATE_LIMIT_ROUTE_1_POLICY_2_LIMIT: '200',
      RATE_LIMIT_ROUTE_1_POLICY_2_WINDOW: '5m',
      RATE_LIMIT_ROUTE_1_POLICY_1_METHOD: 'post',
      RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT: '10',
      RATE_LIMIT_ROUTE_1_POLICY_1_WINDOW: '1m',
      RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY: 'client_id',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      RATE_LIMIT_REDIS_FAIL_OPEN: 'false',
    });
    expect(rateLimit.routes).toEqual([
      {
        pattern: '/v1/profiles',
        policies: [
          { name: 'route-1-1', method: 'POST', limit: 10, windowMs: 60_000, keyStrategy: 'client_id' },
          { name: 'route-1-2', method: 'GET', limit: 200, windowMs: 300_000, keyStrategy: 'remote_ip' },
        ],
      },
      {
        pattern: '/v1/profiles/*',
        policies: [
          { name: 'route-2-1', method: undefined, limit: 50, windowMs: 30_000, keyStrategy: 'remote_ip' },
        ],
      },
    ]);
    expect(rateLimit.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(rateLimit.redisFailOpen).toBe(false);
  });

  it('names every bad rate limit variable in one error', () => {
    const issues = issuesOf({
      RATE_LIMIT_DEFAULT_LIMIT: '0',
      REDIS_URL: 'http://127.0.0.1:6379',
      RATE_LIMIT_ROUTE_1_PATTERN: 'v1/profiles',
      RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT: '10',
      RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY: 'cookie',
      RATE_LIMIT_ROUTE_1_POLICY_1_METHOD: 'BREW',
      RATE_LIMIT_ROUTE_1_POLICY_1_COLOUR: 'red',
      RATE_LIMIT_ROUTE_2_POLICY_1_LIMIT: '5',
      RATE_LIMIT_ROUTE_3_PATTERN: '/v1/things',
      RATE_LIMIT_ROUTE_4_PATTERN: '/v1/other',
      RATE_LIMIT_ROUTE_4_POLICY_1_WINDOW: '1m',
    });
    expect(issues.map((issue) => issue.variable).sort()).toEqual(
      [
        'RATE_LIMIT_DEFAULT_LIMIT',
        'REDIS_URL',
        'RATE_LIMIT_ROUTE_1_POLICY_1_COLOUR',
        'RATE_LIMIT_ROUTE_1_PATTERN',
        'RATE_LIMIT_ROUTE_1_POLICY_1_METHOD',
        'RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY',
        'RATE_LIMIT_ROUTE_2_PATTERN',
        'RATE_LIMIT_ROUTE_3_POLICY_1_LIMIT',
        'RATE_LIMIT_ROUTE_4_POLICY_1_LIMIT',
      ].sort(),
    );
    const byVariable = Object.fromEntries(issues.map((issue) => [issue.variable, issue.message]));
    expect(byVariable.RATE_LIMIT_ROUTE_1_PATTERN).toContain('must be a path like /v1/profiles');
    expect(byVariable.RATE_LIMIT_ROUTE_1_POLICY_1_KEY_STRATEGY).toContain('remote_ip, client_id');
    expect(byVariable.RATE_LIMIT_ROUTE_4_POLICY_1_LIMIT).toBe('is required');
  });
});

describe('load shedding and hardening configuration', () => {
  it('has defaults that shed on event loop delay only', () => {
    const config = loadConfig({});
    expect(config.loadShedding).toEqual({
      enabled: true,
      maxEventLoopDelayMs: 1000,
      maxHeapUsedBytes: 0,
      maxRssBytes: 0,
      sampleIntervalMs: 1000,
      retryAfterSeconds: 10,
    });
    expect(config.hardening).toEqual({
      corsAllowedOrigins: [],
      hstsEnabled: false,
      trustProxy: false,
      maxHeaderSizeBytes: 16384,
      maxUrlLength: 4096,
    });
  });

  it('reads an origin list and rejects what is not an origin', () => {
    expect(
      loadConfig({ CORS_ALLOWED_ORIGINS: 'https://app.example.com, http://127.0.0.1:3000' }).hardening
        .corsAllowedOrigins,
    ).toEqual(['https://app.example.com', 'http://127.0.0.1:3000']);
    expect(
      issuesOf({
        CORS_ALLOWED_ORIGINS: 'https://ok.example.com,*,https://x.example.com/path',
        LOAD_SHEDDING_MAX_RSS_BYTES: '-1',
      }),
    ).toEqual([
      { variable: 'LOAD_SHEDDING_MAX_RSS_BYTES', message: expect.stringContaining('must be an integer') },
      {
        variable: 'CORS_ALLOWED_ORIGINS',
        message: expect.stringContaining('bad: *, https://x.example.com/path'),
      },
    ]);
  });
});
