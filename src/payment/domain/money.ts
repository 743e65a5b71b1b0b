// Exact money. The Pix API writes amounts as decimal strings, \d{1,10}\.\d{2} (dot separator, no
// thousands separator); here they are whole centavos in safe integers, so sums and comparisons are
// exact (0.10 + 0.20 is 0.30, not 0.30000000000000004).

/** Whole centavos: 10.50 BRL is 1050. */
export type Cents = number;

const AMOUNT = /^(\d{1,10})\.(\d{2})$/;
/** 9999999999.99, the largest amount the pattern allows; well inside Number.MAX_SAFE_INTEGER. */
export const MAX_CENTS: Cents = 999_999_999_999;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** '10.50' -> 1050. Refuses anything but the API's pattern (no sign, exponent, spaces or 3rd decimal). */
export function parseCents(text: string): Cents {
  const match = AMOUNT.exec(text);
  if (match === null) {
    throw new MoneyError(`"${text}" is not an amount like 10.50 (1 to 10 digits, a dot, 2 digits)`);
  }
  return checkedCents(Number(match[1]) * 100 + Number(match[2]));
}

/** 1050 -> '10.50'. */
export function formatCents(cents: Cents): string {
  checkedCents(cents);
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, '0')}`;
}

export function isAmount(text: string): boolean {
  return AMOUNT.test(text);
}

/** Sum of amounts; refuses a total the API could not write. */
export function addCents(...amounts: Cents[]): Cents {
  return checkedCents(amounts.reduce((total, amount) => total + checkedCents(amount), 0));
}

export function compareCents(a: Cents, b: Cents): -1 | 0 | 1 {
  checkedCents(a);
  checkedCents(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkedCents(cents: Cents): Cents {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_CENTS) {
    throw new MoneyError(`${cents} is not a whole number of centavos from 0 to ${MAX_CENTS}`);
  }
  return cents;
}
