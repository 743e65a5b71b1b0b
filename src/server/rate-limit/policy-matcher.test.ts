import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { compilePattern, PolicyMatcher } from './policy-matcher.ts';

function matcherFor(env: Record<string, string>): PolicyMatcher {
  return new PolicyMatcher(loadConfig(env).rateLimit);
}

const ROUTES = {
  RATE_LIMIT_ROUTE_1_PATTERN: '/v1/profiles',
  RATE_LIMIT_ROUTE_1_POLICY_1_METHOD: 'POST',
  RATE_LIMIT_ROUTE_1_POLICY_1_LIMIT: '10',
  RATE_LIMIT_ROUTE_1_POLICY_2_METHOD: 'GET',
  RATE_LIMIT_ROUTE_1_POLICY_2_LIMIT: '200',
  RATE_LIMIT_ROUTE_2_PATTERN: '/v1/profiles/*',
  RATE_LIMIT_ROUTE_2_POLICY_1_METHOD: 'DELETE',
  RATE_LIMIT_ROUTE_2_POLICY_1_LIMIT: '5',
  RATE_LIMIT_ROUTE_3_PATTERN: '/v1/*',
  RATE_LIMIT_ROUTE_3_POLICY_1_LIMIT: '1000',
};

describe('PolicyMatcher', () => {
  it('picks the first route whose pattern and method match', () => {
    const matcher = matcherFor(ROUTES);
    expect(matcher.policyFor('POST', '/v1/profiles')?.name).toBe('route-1-1');
    expect(matcher.policyFor('GET', '/v1/profiles')?.name).toBe('route-1-2');
    expect(matcher.policyFor('HEAD', '/v1/profiles')?.name).toBe('route-1-2');
    expect(matcher.policyFor('DELETE', '/v1/profiles/abc')?.name).toBe('route-2-1');
  });

  it('falls through to later routes when a matching route has no policy for the method', () => {
    const matcher = matcherFor(ROUTES);
    expect(matcher.policyFor('GET', '/v1/profiles/abc')?.name).toBe('route-3-1');
    expect(matcher.policyFor('PUT', '/v1/profiles')?.name).toBe('route-3-1');
  });

  it('applies the default policy to unmatched requests unless RATE_LIMIT_ALLOW_IF_NO_MATCH', () => {
    expect(matcherFor(ROUTES).policyFor('GET', '/other')).toMatchObject({ name: 'default', limit: 100 });
    expect(matcherFor({ ...ROUTES, RATE_LIMIT_ALLOW_IF_NO_MATCH: 'true' }).policyFor('GET', '/other')).toBe(
      undefined,
    );
  });
});

describe('compilePattern', () => {
  it('matches an exact path, with or without a trailing slash', () => {
    const matches = compilePattern('/v1/profiles');
    expect(['/v1/profiles', '/v1/profiles/'].map(matches)).toEqual([true, true]);
    expect(['/v1/profiles/x', '/v1/profile', '/v1/profilesx'].map(matches)).toEqual([false, false, false]);
  });

  it('matches every path below a /* pattern, but not the base itself', () => {
    const matches = compilePattern('/v1/profiles/*');
    expect(['/v1/profiles/a', '/v1/profiles/a/b'].map(matches)).toEqual([true, true]);
    expect(['/v1/profiles', '/v1/profiles/', '/v1/profilesx/a'].map(matches)).toEqual([false, false, false]);
  });
});
