// The EndToEndId of a Pix payment, as the SPI defines it: "E", the ISPB of the PSP that made it
// (8 digits), the minute it was made in UTC (yyyyMMddHHmm), and 11 alphanumerics: 32 characters.
import type { RandomAlphanumeric } from '../../platform/random-alphanumeric.ts';
import { randomPart } from './random-part.ts';

const SHAPE = /^E(\d{8})(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})[a-zA-Z0-9]{11}$/;

export function newEndToEndId(ispb: string, at: Date, random: RandomAlphanumeric): string {
  if (!/^\d{8}$/.test(ispb)) throw new Error(`ISPB must be 8 digits (got ${JSON.stringify(ispb)})`);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1000 || year > 9999) throw new Error('the time is not valid');
  const two = (value: number) => String(value).padStart(2, '0');
  const minute =
    `${year}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}` +
    `${two(at.getUTCHours())}${two(at.getUTCMinutes())}`;
  return `E${ispb}${minute}${randomPart(random, 11, 'an EndToEndId')}`;
}

/** The shape above with a real calendar minute (no month 13, no 30 February, no 24:00). */
export function isEndToEndId(text: string): boolean {
  const match = SHAPE.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute] = match.slice(2, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return (
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute
  );
}
