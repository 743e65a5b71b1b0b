// The production PaymentIds: random where the specification wants unguessable identifiers.
import type { IdGenerator } from '../../platform/ids.ts';
import type { RandomAlphanumeric } from '../../platform/random-alphanumeric.ts';
import { newEndToEndId } from './end-to-end-id.ts';
import type { PaymentIds } from './payment-ids.ts';
import { newTxid } from './txid.ts';

const LOCATION_TOKEN_LENGTH = 32;

/** `ispb`: the 8-digit ISPB of the receiving PSP, which its EndToEndIds and return ids carry. */
export function randomPaymentIds(ispb: string, rows: IdGenerator, random: RandomAlphanumeric): PaymentIds {
  return {
    rowId: () => rows.next(),
    txid: () => newTxid(random),
    endToEndId: (at) => newEndToEndId(ispb, at, random),
    // A return id has the EndToEndId's shape with D (devolução) in place of E.
    returnId: (at) => `D${newEndToEndId(ispb, at, random).slice(1)}`,
    locationToken: () => random(LOCATION_TOKEN_LENGTH),
  };
}
