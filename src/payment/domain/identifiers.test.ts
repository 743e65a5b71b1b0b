import { describe, expect, it } from 'vitest';
import { cryptoRandomAlphanumeric } from '../../platform/random-alphanumeric.ts';
import { isEndToEndId, newEndToEndId } from './end-to-end-id.ts';
import { isTxid, newTxid, TXID_LENGTH } from './txid.ts';

const fixed = (text: string) => (length: number) => text.slice(0, length);

describe('EndToEndId', () => {
  it('is E, the ISPB, the UTC minute and 11 alphanumerics: 32 characters', () => {
    const at = new Date('2026-12-03T23:59:59.999-03:00'); // 02:59 UTC the next day
    const id = newEndToEndId('12345678', at, fixed('aB3dE6gH9jK'));
    expect(id).toBe('E12345678202612040259aB3dE6gH9jK');
    expect(id).toHaveLength(32);
    expect(isEndToEndId(id)).toBe(true);
  });

  it('matches the API document’s EndToEndId pattern with real randomness', () => {
    const id = newEndToEndId('00000000', new Date(), cryptoRandomAlphanumeric);
    expect(id).toMatch(/^[a-zA-Z0-9]{32}$/);
    expect(isEndToEndId(id)).toBe(true);
  });

  it('refuses a bad ISPB, an invalid date and a random source that breaks its promise', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(() => newEndToEndId('1234567', now, cryptoRandomAlphanumeric)).toThrow(/ISPB/);
    expect(() => newEndToEndId('1234567a', now, cryptoRandomAlphanumeric)).toThrow(/ISPB/);
    expect(() => newEndToEndId('12345678', new Date('x'), cryptoRandomAlphanumeric)).toThrow(/time/);
    expect(() => newEndToEndId('12345678', now, fixed('short'))).toThrow(/random source/);
    expect(() => newEndToEndId('12345678', now, () => 'ab-de_gh.jk')).toThrow(/random source/);
  });

  it.each([
    ['E12345678202612040259aB3dE6gH9j', 'one short'],
    ['D12345678202612040259aB3dE6gH9jK', 'not E'],
    ['E1234567X202612040259aB3dE6gH9jK', 'ISPB not digits'],
    ['E12345678202613040259aB3dE6gH9jK', 'month 13'],
    ['E12345678202602300259aB3dE6gH9jK', '30 February'],
    ['E12345678202612042400aB3dE6gH9jK', 'hour 24'],
    ['E12345678202612040260aB3dE6gH9jK', 'minute 60'],
    ['E12345678202612040259aB3dE6gH9j-', 'not alphanumeric'],
  ])('is not %s (%s)', (text) => {
    expect(isEndToEndId(text)).toBe(false);
  });
});

describe('txid', () => {
  it('makes 32 alphanumerics that pass isTxid', () => {
    const txid = newTxid(cryptoRandomAlphanumeric);
    expect(txid).toHaveLength(TXID_LENGTH);
    expect(isTxid(txid)).toBe(true);
    expect(newTxid(fixed('abcdefghijklmnopqrstuvwxyz012345'))).toBe('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('refuses a random source that breaks its promise', () => {
    expect(() => newTxid(fixed('abc'))).toThrow(/random source/);
  });

  it('accepts 26 to 35 of [a-zA-Z0-9], anchored', () => {
    expect(isTxid('a'.repeat(26))).toBe(true);
    expect(isTxid('Z9'.repeat(17) + 'x')).toBe(true);
    for (const bad of [
      'a'.repeat(25),
      'a'.repeat(36),
      `${'a'.repeat(26)}-`,
      `${'a'.repeat(30)} `,
      `ç${'a'.repeat(26)}`,
    ]) {
      expect(isTxid(bad), bad).toBe(false);
    }
  });
});
