import { describe, expect, it } from 'vitest';
import { cryptoRandomAlphanumeric } from './random-alphanumeric.ts';

describe('cryptoRandomAlphanumeric', () => {
  it('returns the asked number of [A-Za-z0-9] characters', () => {
    expect(cryptoRandomAlphanumeric(0)).toBe('');
    expect(cryptoRandomAlphanumeric(32)).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('draws from the whole alphabet and does not repeat itself', () => {
    const text = cryptoRandomAlphanumeric(20_000);
    expect(new Set(text).size).toBe(62);
    const samples = new Set(Array.from({ length: 1000 }, () => cryptoRandomAlphanumeric(11)));
    expect(samples.size).toBe(1000);
  });

  it('refuses a negative or fractional length', () => {
    expect(() => cryptoRandomAlphanumeric(-1)).toThrow(RangeError);
    expect(() => cryptoRandomAlphanumeric(1.5)).toThrow(RangeError);
  });
});
