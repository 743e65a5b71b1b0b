import { describe, expect, it } from 'vitest';
import { isDictKey, webhookKeyViolations } from './webhook.ts';

describe('isDictKey', () => {
  it.each([
    ['a CPF', '12345678909'],
    ['a numeric CNPJ', '12345678000195'],
    ['an alphanumeric CNPJ', '12ABC34501DE35'],
    ['a phone number', '+5561912345678'],
    ['an e-mail address', 'receiver@example.com'],
    ['an e-mail address with capitals', 'Receiver@Example.com'],
    ['a random key', '40a0932d-1918-4eee-845d-35a2da1690dc'],
  ])('accepts %s (%s)', (_name, key) => {
    expect(isDictKey(key)).toBe(true);
    expect(webhookKeyViolations(key)).toEqual([]);
  });

  it.each([
    ['blank', '  '],
    ['empty', ''],
    ['a word', 'null'],
    ['a number too short for a CPF', '1234567890'],
    ['a phone without +', '5561912345678'],
    ['a phone too long', '+55619123456789012'],
    ['an e-mail without domain', 'receiver@'],
    ['an e-mail with spaces', 're ceiver@example.com'],
    ['a random key in capitals', '40A0932D-1918-4EEE-845D-35A2DA1690DC'],
    ['a bidirectional override', '\u202e12345678909'],
    ['an e-mail over 77 characters', `${'a'.repeat(70)}@example.com`],
    ['a path segment', '..'],
  ])('refuses %s', (_name, key) => {
    expect(isDictKey(key)).toBe(false);
    expect(webhookKeyViolations(key)).toEqual([
      { field: 'chave', reason: expect.stringContaining('is not a Pix key') as string, value: key },
    ]);
  });
});
