// The amounts the Pix API can write (\d{1,10}\.\d{2}), as integer cents: exact, never floating point.
// 999 999 999 999 is far below Number.MAX_SAFE_INTEGER, so plain numbers hold every sum exactly.

export const MAX_CENTS = 999_999_999_999;

export function isValidAmount(cents: number): boolean {
  return Number.isSafeInteger(cents) && cents >= 1 && cents <= MAX_CENTS;
}
