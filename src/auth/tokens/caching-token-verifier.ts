// Remembers the callers of tokens it has verified, so a client that sends the same token with every
// request pays for the signature check once instead of on every request. Sound because a verdict
// depends only on the token's bytes, the keys and the clock: a token that verified stays valid until
// its exp, when its entry is dropped. What may change sooner is checked outside this cache: a revoked
// client is still refused on its next request by the client status check (bearer-authenticator.ts).
// An entry also lives at most maxAgeMs, so a key an external provider removes from its JWKS stops
// being honoured about as soon as jose would stop trusting it. Refusals are not remembered.
import type { Clock } from '../../platform/clock.ts';
import type { TokenVerifier, VerifiedCaller } from '../domain/ports.ts';

export interface TokenCacheOptions {
  clock: Clock;
  /** Tokens remembered at most; past it the expired are swept and then the oldest forgotten. */
  maxEntries?: number;
  /** Longest a verdict is reused, however far away the token's exp is. */
  maxAgeMs?: number;
}

/** About a kilobyte per entry (token, caller): a bounded ten megabytes at most. */
export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;
export const DEFAULT_TOKEN_CACHE_MAX_AGE_MS = 5 * 60_000;

interface Verdict {
  caller: VerifiedCaller;
  /** Epoch milliseconds after which the verdict is not reused. */
  until: number;
}

export function cachingTokenVerifier(inner: TokenVerifier, options: TokenCacheOptions): TokenVerifier {
  const { clock } = options;
  const maxEntries = options.maxEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_TOKEN_CACHE_MAX_AGE_MS;
  const verdicts = new Map<string, Verdict>();

  function remember(token: string, caller: VerifiedCaller, now: number): void {
    if (verdicts.size >= maxEntries) {
      for (const [cached, verdict] of verdicts) if (verdict.until <= now) verdicts.delete(cached);
      // Still full: forget the oldest (a Map iterates in insertion order).
      if (verdicts.size >= maxEntries) verdicts.delete(verdicts.keys().next().value!);
    }
    verdicts.set(token, { caller, until: Math.min(caller.expiresAt * 1000, now + maxAgeMs) });
  }

  return {
    issuedLocally: inner.issuedLocally,
    async verify(token) {
      const now = clock.now().getTime();
      const cached = verdicts.get(token);
      if (cached !== undefined) {
        if (cached.until > now) return cached.caller;
        verdicts.delete(token);
      }
      const caller = await inner.verify(token);
      remember(token, caller, now);
      return caller;
    },
  };
}
