// Random strings over A-Z a-z 0-9, the alphabet of Pix identifiers (txid, EndToEndId). Domains take
// the generator as a parameter, as they take IdGenerator, so tests can make identifiers predictable.
import { randomInt } from 'node:crypto';

/** Returns `length` characters, each one of [A-Za-z0-9]. */
export type RandomAlphanumeric = (length: number) => string;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Cryptographically random and unbiased (randomInt draws each index uniformly from 62). */
export const cryptoRandomAlphanumeric: RandomAlphanumeric = (length) => {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
  let text = '';
  for (let index = 0; index < length; index++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
};
