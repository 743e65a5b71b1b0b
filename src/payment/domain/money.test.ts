import { describe, expect, it } from 'vitest';
import { addCents, compareCents, formatCents, isAmount, MAX_CENTS, MoneyError, parseCents } from './money.ts';

describe('money', () => {
  it('parses the API’s decimal strings into whole centavos', () => {
    expect(parseCents('10.50')).toBe(1050);
    expect(parseCents('0.01')).toBe(1);
    expect(parseCents('0.00')).toBe(0);
    expect(parseCents('0000000001.00')).toBe(100);
    expect(parseCents('9999999999.99')).toBe(999_999_999_999);
    expect(Number.isSafeInteger(parseCents('9999999999.99'))).toBe(true);
  });

  it('formats centavos back, round-tripping', () => {
    expect(formatCents(1050)).toBe('10.50');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(MAX_CENTS)).toBe('9999999999.99');
    for (const text of ['1.00', '123.99', '123456789.23', '0.10'])
      expect(formatCents(parseCents(text))).toBe(text);
  });

  it('adds exactly: 0.10 + 0.20 is 0.30', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatCents(addCents(parseCents('0.10'), parseCents('0.20')))).toBe('0.30');
    expect(addCents(parseCents('0.10'), parseCents('0.20'))).toBe(parseCents('0.30'));
    expect(addCents()).toBe(0);
  });

  it('compares amounts', () => {
    expect(compareCents(parseCents('10.00'), parseCents('9.99'))).toBe(1);
    expect(compareCents(parseCents('0.30'), addCents(10, 20))).toBe(0);
    expect(compareCents(1, 2)).toBe(-1);
  });

  it.each([
    '1.5',
    '-1.00',
    '1e3',
    ' 1.00',
    '1.00 ',
    '00000000001.00',
    '1,00',
    '1.000',
    '.50',
    '1.',
    '',
    '+1.00',
    '１.00',
  ])('refuses %j', (text) => {
    expect(() => parseCents(text)).toThrow(MoneyError);
    expect(isAmount(text)).toBe(false);
  });

  it('refuses totals and values outside 0..9999999999.99 or not whole centavos', () => {
    expect(() => addCents(MAX_CENTS, 1)).toThrow(MoneyError);
    expect(() => formatCents(1.5)).toThrow(MoneyError);
    expect(() => formatCents(-1)).toThrow(MoneyError);
    expect(() => formatCents(Number.NaN)).toThrow(MoneyError);
    expect(() => compareCents(2 ** 53, 0)).toThrow(MoneyError);
  });
});
