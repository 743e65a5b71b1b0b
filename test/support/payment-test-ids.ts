// Predictable Payment ids for tests, in the shapes the Pix API requires.
import { v7 as uuidv7 } from 'uuid';
import type { PaymentIds } from '../../src/payment/domain/payment-ids.ts';

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
}

export function testPaymentIds(ispb = '12345678'): PaymentIds {
  let counter = 0;
  const next = (width: number) => {
    counter += 1;
    return String(counter).padStart(width, '0');
  };
  return {
    rowId: () => uuidv7(),
    txid: () => `txid${next(22)}`,
    endToEndId: (at) => `E${ispb}${stamp(at)}${next(11)}`,
    returnId: (at) => `D${ispb}${stamp(at)}${next(11)}`,
    locationToken: () => `token-${next(16)}`,
  };
}
