// The EMV BR Code ("Pix Copia e Cola") of a dynamic Pix QR code, as the Manual de Padrões para
// Iniciação do Pix lays it out: a flat run of TLV fields (2-digit ID, 2-digit length, value), two of
// them templates of nested TLVs, closed by a CRC16 over the whole text. See docs/pix-formats.md.

const GUI = 'br.gov.bcb.pix';
const MAX_FIELD_LENGTH = 99;
const MERCHANT_NAME_MAX = 25;
const MERCHANT_CITY_MAX = 15;
const CRC_TAG = '6304';

export class BrCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrCodeError';
  }
}

export interface DynamicBrCodeInput {
  /** The payload location without scheme, as the API's `location` field: `pix.example.com/qr/v2/...`. */
  location: string;
  merchantName: string;
  merchantCity: string;
  /** ISO 18245 MCC, four digits; "0000" (not informed) by default. */
  merchantCategoryCode?: string;
}

/**
 * The `pixCopiaECola` text of a dynamic code. No field 54 (amount): a dynamic code's amount is the
 * one in the signed payload its location serves, so the Manual's dynamic example carries none and a
 * second, unsigned copy could only disagree with it.
 */
export function buildDynamicBrCode(input: DynamicBrCodeInput): string {
  const location = input.location.trim();
  if (location.length === 0 || !/^[\x21-\x7e]+$/.test(location)) {
    throw new BrCodeError('location must be non-empty printable ASCII without spaces');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new BrCodeError('location must be given without a scheme (the payer adds https://)');
  }
  const merchantCategoryCode = input.merchantCategoryCode ?? '0000';
  if (!/^\d{4}$/.test(merchantCategoryCode)) {
    throw new BrCodeError('merchantCategoryCode must be four digits');
  }
  const merchantName = foldToAscii(input.merchantName, MERCHANT_NAME_MAX);
  const merchantCity = foldToAscii(input.merchantCity, MERCHANT_CITY_MAX);
  if (merchantName.length === 0) throw new BrCodeError('merchantName has no printable character');
  if (merchantCity.length === 0) throw new BrCodeError('merchantCity has no printable character');

  const withoutCrc =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', tlv('00', GUI) + tlv('25', location)) +
    tlv('52', merchantCategoryCode) +
    tlv('53', '986') +
    tlv('58', 'BR') +
    tlv('59', merchantName) +
    tlv('60', merchantCity) +
    tlv('62', tlv('05', '***')) +
    CRC_TAG;
  return withoutCrc + crc16Ccitt(withoutCrc);
}

/**
 * Letters lose their accents ("São Paulo" -> "Sao Paulo"), case is kept (the Manual's own examples
 * mix cases), runs of spaces become one, anything still outside printable ASCII is dropped, and the
 * result is cut to `max` characters.
 */
export function foldToAscii(text: string, max: number): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection; 4 uppercase hex digits. */
export function crc16Ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface BrCodeField {
  id: string;
  value: string;
  /** The nested fields of a template (26-51 merchant account information, 62 additional data). */
  fields?: BrCodeField[];
}

export interface ParsedBrCode {
  fields: BrCodeField[];
  /** The value of a top-level field, or of a nested one as `26.25`. */
  get(path: string): string | undefined;
}

/** Reads a BR Code, checking every length and the CRC; throws BrCodeError saying what is wrong. */
export function parseBrCode(text: string): ParsedBrCode {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new BrCodeError('a BR Code holds printable ASCII only');
  const crcAt = text.length - 8;
  if (crcAt < 0 || text.slice(crcAt, crcAt + 4) !== CRC_TAG) {
    throw new BrCodeError('a BR Code ends with the CRC field 6304 and four hex digits');
  }
  const expected = crc16Ccitt(text.slice(0, crcAt + 4));
  const actual = text.slice(crcAt + 4);
  if (actual !== expected) throw new BrCodeError(`CRC is ${actual}, expected ${expected}`);

  const fields = readFields(text, '');
  if (fields[0]?.id !== '00' || fields[0].value !== '01') {
    throw new BrCodeError('the first field must be 00 (payload format indicator) with value 01');
  }
  for (const field of fields) {
    if (isTemplate(field.id)) field.fields = readFields(field.value, `${field.id}.`);
  }
  return {
    fields,
    get(path) {
      const [outer, inner] = path.split('.');
      const field = fields.find((each) => each.id === outer);
      if (inner === undefined) return field?.value;
      return field?.fields?.find((each) => each.id === inner)?.value;
    },
  };
}

function readFields(text: string, prefix: string): BrCodeField[] {
  const fields: BrCodeField[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < text.length) {
    const head = text.slice(at, at + 4);
    if (!/^\d{4}$/.test(head)) {
      throw new BrCodeError(`field at offset ${at} of ${prefix || 'the code'} lacks a 2-digit id and length`);
    }
    const id = head.slice(0, 2);
    const length = Number(head.slice(2));
    if (length === 0) throw new BrCodeError(`field ${prefix}${id} is empty`);
    const value = text.slice(at + 4, at + 4 + length);
    if (value.length !== length) {
      throw new BrCodeError(`field ${prefix}${id} declares length ${length} but only ${value.length} remain`);
    }
    if (seen.has(id)) throw new BrCodeError(`field ${prefix}${id} appears twice`);
    seen.add(id);
    fields.push({ id, value });
    at += 4 + length;
  }
  return fields;
}

function isTemplate(id: string): boolean {
  const number = Number(id);
  return (number >= 26 && number <= 51) || number === 62 || number === 80;
}

function tlv(id: string, value: string): string {
  if (value.length > MAX_FIELD_LENGTH) {
    throw new BrCodeError(
      `field ${id} would be ${value.length} characters long (at most ${MAX_FIELD_LENGTH})`,
    );
  }
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}
