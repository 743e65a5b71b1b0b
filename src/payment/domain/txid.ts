// The txid: the receiver's reconciliation id of a charge, 26 to 35 of [a-zA-Z0-9] (the API document's
// TxId pattern, read anchored). POST /cob lets the PSP choose it; we make 32 characters.
import type { RandomAlphanumeric } from '../../platform/random-alphanumeric.ts';
import { randomPart } from './random-part.ts';

export const TXID_LENGTH = 32;

export function isTxid(text: string): boolean {
  return /^[a-zA-Z0-9]{26,35}$/.test(text);
}

export function newTxid(random: RandomAlphanumeric): string {
  return randomPart(random, TXID_LENGTH, 'a txid');
}
