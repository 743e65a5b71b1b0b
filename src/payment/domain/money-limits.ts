// What a charge, a payment or a refund may be worth: more than zero and no more than the API can
// write. Amounts are integer cents (see money.ts).
import { MAX_CENTS } from './money.ts';

export function isValidAmount(cents: number): boolean {
  return Number.isSafeInteger(cents) && cents >= 1 && cents <= MAX_CENTS;
}
