import { describe, expect, it } from 'vitest';
import type { Clock } from '../../platform/clock.ts';
import { InvalidTokenError } from '../domain/client-errors.ts';
import type { TokenVerifier, VerifiedCaller } from '../domain/ports.ts';
import { cachingTokenVerifier } from './caching-token-verifier.ts';

const START = Date.parse('2026-12-03T12:00:00Z');

function settableClock(): Clock & { set(ms: number): void } {
  let now = START;
  return { now: () => new Date(now), set: (ms) => (now = ms) };
}

/** Verifies tokens named `ok-<client>-<exp seconds>`, counting the verifications it really made. */
function countingVerifier() {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    issuedLocally: true,
    async verify(token): Promise<VerifiedCaller> {
      calls.push(token);
      const match = /^ok-(\w+)-(\d+)$/.exec(token);
      if (!match) throw new InvalidTokenError('the token is malformed or its signature is invalid');
      return { clientId: match[1]!, scopes: ['profile.read'], expiresAt: Number(match[2]) };
    },
  };
  return { verifier, calls };
}

const inAnHour = START / 1000 + 3600;

describe('cachingTokenVerifier', () => {
  it('verifies a token once and answers the same caller after', async () => {
    const { verifier, calls } = countingVerifier();
    const cached = cachingTokenVerifier(verifier, { clock: settableClock() });
    const first = await cached.verify(`ok-a-${inAnHour}`);
    const second = await cached.verify(`ok-a-${inAnHour}`);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ clientId: 'a', expiresAt: inAnHour });
    expect(calls).toHaveLength(1);
    expect(cached.issuedLocally).toBe(true);
  });

  it('verifies again once the token has expired, and passes the refusal on', async () => {
    const clock = settableClock();
    let expired = false;
    const verifier: TokenVerifier = {
      issuedLocally: true,
      verify: async () => {
        if (expired) throw new InvalidTokenError('the token has expired');
        return { clientId: 'a', scopes: [], expiresAt: START / 1000 + 60 };
      },
    };
    const cached = cachingTokenVerifier(verifier, { clock });
    await cached.verify('t');
    clock.set(START + 60_000);
    expired = true;
    await expect(cached.verify('t')).rejects.toThrow('the token has expired');
  });

  it('reuses a verdict at most maxAgeMs, however distant the expiry', async () => {
    const clock = settableClock();
    const { verifier, calls } = countingVerifier();
    const cached = cachingTokenVerifier(verifier, { clock, maxAgeMs: 1000 });
    await cached.verify(`ok-a-${inAnHour}`);
    clock.set(START + 999);
    await cached.verify(`ok-a-${inAnHour}`);
    expect(calls).toHaveLength(1);
    clock.set(START + 1000);
    await cached.verify(`ok-a-${inAnHour}`);
    expect(calls).toHaveLength(2);
  });

  it('does not remember refusals', async () => {
    const { verifier, calls } = countingVerifier();
    const cached = cachingTokenVerifier(verifier, { clock: settableClock() });
    await expect(cached.verify('forged')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(cached.verify('forged')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls).toEqual(['forged', 'forged']);
  });

  it('keeps at most maxEntries, sweeping the expired first and then forgetting the oldest', async () => {
    const clock = settableClock();
    const { verifier, calls } = countingVerifier();
    const cached = cachingTokenVerifier(verifier, { clock, maxEntries: 2 });
    await cached.verify(`ok-short-${START / 1000 + 10}`);
    await cached.verify(`ok-b-${inAnHour}`);
    clock.set(START + 10_000);
    // Full: the expired one is swept, b stays.
    await cached.verify(`ok-c-${inAnHour}`);
    await cached.verify(`ok-b-${inAnHour}`);
    expect(calls.filter((token) => token.startsWith('ok-b'))).toHaveLength(1);
    // Full again and nothing expired: the oldest (b) is forgotten, c stays.
    await cached.verify(`ok-d-${inAnHour}`);
    await cached.verify(`ok-c-${inAnHour}`);
    expect(calls.filter((token) => token.startsWith('ok-c'))).toHaveLength(1);
    await cached.verify(`ok-b-${inAnHour}`);
    expect(calls.filter((token) => token.startsWith('ok-b'))).toHaveLength(2);
  });
});
