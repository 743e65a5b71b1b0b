// The request validators: coercion of parameters, no coercion of bodies, and no infinite numbers
// slipping through either (a query limit of "Infinity" used to reach SQL and answer 500), nor strings
// PostgreSQL or UTF-8 cannot hold (NUL answered 500; an unpaired surrogate was stored as U+FFFD).
import { describe, expect, it } from 'vitest';
import { createValidatorCompiler } from './validator-compiler.ts';

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

const limitQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 200 } },
};
const ageBody = {
  type: 'object',
  additionalProperties: false,
  properties: { age: { type: ['integer', 'null'], minimum: 1, maximum: 150 } },
};
const nameBody = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 5, maxLength: 50 } },
};
const ifMatchHeaders = { type: 'object', properties: { 'if-match': { type: 'string' } } };

function compile(schema: object, httpPart: 'querystring' | 'body' | 'headers'): Validate {
  return createValidatorCompiler()({
    schema: schema,
    httpPart,
    method: 'GET',
    url: '/',
  }) as Validate;
}

describe('createValidatorCompiler', () => {
  it('coerces a finite query integer and keeps enforcing its bounds', () => {
    const validate = compile(limitQuery, 'querystring');
    const query: Record<string, unknown> = { limit: '20' };
    expect(validate(query)).toBe(true);
    expect(query.limit).toBe(20);
    expect(validate({ limit: '201' })).toBe(false);
  });

  it.each(['Infinity', '-Infinity', '0x10', '1e2', ' 5', '5 ', '10.0', '+5', ''])(
    'rejects the query integer %j as not a plain decimal',
    (limit) => {
      const validate = compile(limitQuery, 'querystring');
      expect(validate({ limit })).toBe(false);
      expect(validate.errors).toEqual([
        expect.objectContaining({ instancePath: '/limit', message: 'must be an integer' }),
      ]);
    },
  );

  it('reads decimal parameters, repeated ones included, and checks numbers as decimals', () => {
    const validate = compile(
      {
        type: 'object',
        properties: {
          ids: { type: 'array', items: { type: 'integer' } },
          ratio: { type: 'number' },
        },
      },
      'querystring',
    );
    const query = { ids: ['1', '-2'], ratio: '0.5' };
    expect(validate(query)).toBe(true);
    expect(query).toEqual({ ids: [1, -2], ratio: 0.5 });
    expect(validate({ ids: ['1', '0x2'] })).toBe(false);
    expect(validate({ ratio: '5e-1' })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ instancePath: '/ratio', message: 'must be a decimal number' }),
    ]);
  });

  it.each([{ label: 'a 400-digit number', limit: '9'.repeat(400) }])(
    'rejects the query integer $label as not finite',
    ({ limit }) => {
      const validate = compile(limitQuery, 'querystring');
      expect(validate({ limit })).toBe(false);
      expect(validate.errors).toEqual([
        expect.objectContaining({ instancePath: '/limit', message: 'must be a finite number' }),
      ]);
    },
  );

  it('rejects a body number that JSON parsing made infinite (1e400)', () => {
    const validate = compile(ageBody, 'body');
    expect(validate(JSON.parse('{"age": 1e400}'))).toBe(false);
    expect(validate({ age: 42 })).toBe(true);
    expect(validate.errors).toBeNull();
  });

  it.each([
    { label: 'NUL', name: 'Ada\u0000Lovelace' },
    { label: 'a lone high surrogate', name: 'Ada\ud800Lovelace' },
    { label: 'a lone low surrogate', name: '\udc00Ada Lovelace' },
  ])('rejects a body string with $label', ({ name }) => {
    const validate = compile(nameBody, 'body');
    expect(validate({ name })).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({
        instancePath: '/name',
        message: 'must not contain NUL or unpaired surrogate characters',
      }),
    ]);
  });

  it('rejects a body field named with NUL, and accepts paired surrogates and bidi marks', () => {
    const validate = compile(nameBody, 'body');
    expect(validate({ 'na\u0000me': 'Ada Lovelace' })).toBe(false);
    expect(validate({ name: 'Ada \u{1F600} \u202eLovelace' })).toBe(true);
  });

  it('rejects NUL in a query string value', () => {
    const validate = compile({ type: 'object', properties: { q: { type: 'string' } } }, 'querystring');
    expect(validate({ q: 'a\u0000' })).toBe(false);
  });

  it('leaves header values to the HTTP parser, which refuses NUL before validation', () => {
    expect(compile(ifMatchHeaders, 'headers')({ 'if-match': '"\u0000"' })).toBe(true);
  });

  // The meta-schema check is left to test/route-schemas.test.ts; strict mode still guards each compile.
  it('refuses, as it compiles, a schema with an unknown keyword or a type JSON Schema has not', () => {
    expect(() =>
      compile({ type: 'object', properties: { name: { type: 'string', minLenght: 5 } } }, 'body'),
    ).toThrow(/unknown keyword: "minLenght"/);
    expect(() => compile({ type: 'object', properties: { name: { type: 'text' } } }, 'body')).toThrow(
      /type must be JSONType/,
    );
  });
});
