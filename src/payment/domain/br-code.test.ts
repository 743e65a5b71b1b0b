import { describe, expect, it } from 'vitest';
import { BrCodeError, buildDynamicBrCode, crc16Ccitt, foldToAscii, parseBrCode } from './br-code.ts';

// The dynamic example of the Manual de Padrões para Iniciação do Pix (section 6.2), as published.
const PUBLISHED_DYNAMIC =
  '00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99' +
  '5204000053039865802BR5907EMPRESA6009SAO PAULO62070503***6304EEAB';

// The API document's own example of a dynamic code composed with a recurrence (field 80), line 3669.
const API_DOCUMENT_COMPOSED =
  '00020101021226760014br.gov.bcb.pix2554pix.example.com/qr/v2/8b3da2f39a4140d1a91abd93113bd441' +
  '5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***' +
  '80800014br.gov.bcb.pix2558pix.example.com/qr/v2/rec/94ed2badcbc04c15b0bb7fa35319489063047741';

const LOCATION = 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25';

describe('crc16Ccitt', () => {
  it('is CRC-16/CCITT-FALSE: the standard check value of "123456789" is 29B1', () => {
    expect(crc16Ccitt('123456789')).toBe('29B1');
  });

  it('gives the CRC of the published dynamic example', () => {
    expect(crc16Ccitt(PUBLISHED_DYNAMIC.slice(0, -4))).toBe('EEAB');
  });

  it('pads to four uppercase hex digits', () => {
    expect(crc16Ccitt('')).toBe('FFFF');
    expect(crc16Ccitt('a')).toMatch(/^[0-9A-F]{4}$/);
  });
});

describe('buildDynamicBrCode', () => {
  it('writes exactly the fields of a dynamic code, in order (TLV written out by hand here)', () => {
    const code = buildDynamicBrCode({
      location: LOCATION,
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
    });
    // 26: 00 14 br.gov.bcb.pix (18) + 25 54 <location> (58) = 76
    const body =
      '000201' +
      '010212' +
      '2676' +
      '0014br.gov.bcb.pix' +
      `2554${LOCATION}` +
      '52040000' +
      '5303986' +
      '5802BR' +
      '5913Fulano de Tal' +
      '6008BRASILIA' +
      '62070503***' +
      '6304';
    expect(LOCATION).toHaveLength(54);
    expect(code).toBe(body + crc16Ccitt(body));
  });

  it('writes the merchant category code when given', () => {
    const code = buildDynamicBrCode({
      location: LOCATION,
      merchantName: 'Loja',
      merchantCity: 'Recife',
      merchantCategoryCode: '5411',
    });
    expect(code).toContain('52045411');
    expect(parseBrCode(code).get('52')).toBe('5411');
  });

  it('carries no amount (field 54): a dynamic code takes it from the signed payload', () => {
    const parsed = parseBrCode(
      buildDynamicBrCode({ location: LOCATION, merchantName: 'A', merchantCity: 'B' }),
    );
    expect(parsed.get('54')).toBeUndefined();
  });

  it('round-trips through the parser, nested templates too', () => {
    const parsed = parseBrCode(
      buildDynamicBrCode({ location: LOCATION, merchantName: 'Café São João', merchantCity: 'São Paulo' }),
    );
    expect(parsed.fields.map((field) => field.id)).toEqual([
      '00',
      '01',
      '26',
      '52',
      '53',
      '58',
      '59',
      '60',
      '62',
      '63',
    ]);
    expect(parsed.get('26.00')).toBe('br.gov.bcb.pix');
    expect(parsed.get('26.25')).toBe(LOCATION);
    expect(parsed.get('62.05')).toBe('***');
    expect(parsed.get('59')).toBe('Cafe Sao Joao');
    expect(parsed.get('60')).toBe('Sao Paulo');
  });

  it('truncates the merchant name to 25 and the city to 15 characters', () => {
    const parsed = parseBrCode(
      buildDynamicBrCode({
        location: LOCATION,
        merchantName: 'Companhia Brasileira de Distribuição',
        merchantCity: 'São José dos Campos',
      }),
    );
    expect(parsed.get('59')).toBe('Companhia Brasileira de D');
    expect(parsed.get('60')).toBe('Sao Jose dos Ca');
  });

  it('refuses a location with a scheme, spaces, or too long for field 26', () => {
    const build = (location: string) => () =>
      buildDynamicBrCode({ location, merchantName: 'A', merchantCity: 'B' });
    expect(build(`https://${LOCATION}`)).toThrow(BrCodeError);
    expect(build('pix.example.com/qr/a b')).toThrow(BrCodeError);
    expect(build('')).toThrow(BrCodeError);
    expect(build(`pix.example.com/${'x'.repeat(62)}`)).toThrow(/at most 99/);
    expect(build(`pix.example.com/${'x'.repeat(61)}`)).not.toThrow();
  });

  it('refuses a bad merchant category code and names that fold to nothing', () => {
    expect(() =>
      buildDynamicBrCode({
        location: LOCATION,
        merchantName: 'A',
        merchantCity: 'B',
        merchantCategoryCode: '54',
      }),
    ).toThrow(/four digits/);
    expect(() => buildDynamicBrCode({ location: LOCATION, merchantName: '東京', merchantCity: 'B' })).toThrow(
      /merchantName/,
    );
    expect(() => buildDynamicBrCode({ location: LOCATION, merchantName: 'A', merchantCity: '  ' })).toThrow(
      /merchantCity/,
    );
  });
});

describe('the API document’s example', () => {
  it('parses, CRC included, and matches what we build field for field up to the recurrence', () => {
    const parsed = parseBrCode(API_DOCUMENT_COMPOSED);
    expect(parsed.get('63')).toBe('7741');
    expect(parsed.get('80.25')).toBe('pix.example.com/qr/v2/rec/94ed2badcbc04c15b0bb7fa353194890');
    const built = buildDynamicBrCode({
      location: parsed.get('26.25')!,
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
    });
    const beforeRecurrence = API_DOCUMENT_COMPOSED.slice(0, API_DOCUMENT_COMPOSED.indexOf('8080'));
    expect(built.slice(0, -8)).toBe(beforeRecurrence);
  });
});

describe('foldToAscii', () => {
  it('drops accents, keeps case, collapses spaces and cuts to the limit', () => {
    expect(foldToAscii('São Paulo', 15)).toBe('Sao Paulo');
    expect(foldToAscii('  AÇÚCAR   e   Ñandu ', 25)).toBe('ACUCAR e Nandu');
    expect(foldToAscii('Curitiba – PR', 15)).toBe('Curitiba PR');
    expect(foldToAscii('abcdefghij klmnop', 11)).toBe('abcdefghij');
  });
});

describe('parseBrCode', () => {
  it('reads the published dynamic example', () => {
    const parsed = parseBrCode(PUBLISHED_DYNAMIC);
    expect(parsed.get('01')).toBe('12');
    expect(parsed.get('26.00')).toBe('BR.GOV.BCB.PIX');
    expect(parsed.get('26.25')).toBe('pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99');
    expect(parsed.get('60')).toBe('SAO PAULO');
    expect(parsed.get('63')).toBe('EEAB');
  });

  it('refuses a wrong CRC, or one in lowercase', () => {
    expect(() => parseBrCode(`${PUBLISHED_DYNAMIC.slice(0, -4)}EEAC`)).toThrow('CRC is EEAC, expected EEAB');
    expect(() => parseBrCode(`${PUBLISHED_DYNAMIC.slice(0, -4)}eeab`)).toThrow(/CRC/);
  });

  it('refuses a changed character even with the old CRC', () => {
    expect(() => parseBrCode(PUBLISHED_DYNAMIC.replace('EMPRESA', 'EMPRESB'))).toThrow(/CRC/);
  });

  it('refuses a code without the CRC field', () => {
    expect(() => parseBrCode(PUBLISHED_DYNAMIC.slice(0, -8))).toThrow(/6304/);
    expect(() => parseBrCode('')).toThrow(/6304/);
  });

  it('refuses lengths that overrun, even when the CRC was recomputed', () => {
    const withCrc = (body: string) => `${body}6304${crc16Ccitt(`${body}6304`)}`;
    // 59 says 08 but EMPRESA has 7: the field swallows a digit of the next id, which then breaks.
    expect(() => parseBrCode(withCrc('0002010102125908EMPRESA6009SAO PAULO'))).toThrow(
      'field at offset 24 of the code lacks a 2-digit id and length',
    );
    expect(() => parseBrCode(withCrc('0002010102125908EMPRESA'))).toThrow(/lacks a 2-digit id|length/);
    expect(() => parseBrCode(withCrc('000201265000'))).toThrow(/declares length 50/);
    expect(() => parseBrCode(withCrc('0002012602xx'))).toThrow(/26\./);
    expect(() => parseBrCode(withCrc('0002015900'))).toThrow(/field 59 is empty/);
    expect(() => parseBrCode(withCrc('0002015920abc'))).toThrow(/declares length 20 but only 11/);
  });

  it('refuses repeated fields, a wrong first field and non-ASCII text', () => {
    const withCrc = (body: string) => `${body}6304${crc16Ccitt(`${body}6304`)}`;
    expect(() => parseBrCode(withCrc('000201000201'))).toThrow(/appears twice/);
    expect(() => parseBrCode(withCrc('000202'))).toThrow(/payload format indicator/);
    expect(() => parseBrCode(withCrc('0002015903São'))).toThrow(/ASCII/);
  });
});
