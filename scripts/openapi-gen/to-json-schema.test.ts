import { describe, expect, it } from 'vitest';
import { toJsonSchema } from './to-json-schema.ts';

describe('toJsonSchema (OpenAPI 3.0)', () => {
  it('turns nullable into a type array, and adds null to an enum', () => {
    expect(toJsonSchema({ type: 'string', nullable: true }, 'response', '3.0')).toEqual({
      type: ['string', 'null'],
    });
    expect(toJsonSchema({ type: 'string', enum: ['a'], nullable: true }, 'response', '3.0')).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
  });

  it('keeps the null of a nullable schema without a type', () => {
    expect(toJsonSchema({ nullable: true, allOf: [{ type: 'object' }] }, 'response', '3.0')).toEqual({
      anyOf: [{ allOf: [{ type: 'object' }] }, { type: 'null' }],
    });
  });

  const account = {
    type: 'object',
    required: ['id', 'password', 'name'],
    properties: {
      id: { type: 'string', readOnly: true },
      password: { type: 'string', writeOnly: true },
      name: { type: 'string' },
    },
  };

  it('removes readOnly properties from request schemas, with their required entries', () => {
    expect(toJsonSchema(account, 'request', '3.0')).toEqual({
      type: 'object',
      required: ['password', 'name'],
      properties: { password: { type: 'string' }, name: { type: 'string' } },
    });
  });

  it('removes writeOnly properties from response schemas, with their required entries', () => {
    expect(toJsonSchema(account, 'response', '3.0')).toEqual({
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    });
  });

  it('keeps standard formats and drops the others; int32 becomes bounds', () => {
    const formats = ['uuid', 'email', 'date-time', 'date', 'uri'];
    for (const format of formats) {
      expect(toJsonSchema({ type: 'string', format }, 'response', '3.0')).toEqual({ type: 'string', format });
    }
    for (const format of ['int64', 'password', 'byte', 'binary', 'cpf']) {
      expect(toJsonSchema({ type: 'string', format }, 'response', '3.0')).toEqual({ type: 'string' });
    }
    expect(toJsonSchema({ type: 'number', format: 'double' }, 'response', '3.0')).toEqual({ type: 'number' });
    expect(toJsonSchema({ type: 'integer', format: 'int32', minimum: 1 }, 'response', '3.0')).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 2147483647,
    });
  });

  it('rewrites boolean exclusive bounds as draft-07 numbers', () => {
    expect(toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true }, 'response', '3.0')).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(toJsonSchema({ type: 'number', maximum: 9, exclusiveMaximum: false }, 'response', '3.0')).toEqual({
      type: 'number',
      maximum: 9,
    });
  });

  it('drops OpenAPI-only keywords and x- extensions, and no $schema is stamped', () => {
    const schema = {
      type: 'object',
      example: { a: 1 },
      xml: { name: 'a' },
      discriminator: { propertyName: 'kind' },
      externalDocs: { url: 'https://example.com' },
      deprecated: true,
      'x-internal': true,
      properties: { 'x-kept': { type: 'string', 'x-note': 'gone' } },
    };
    expect(toJsonSchema(schema, 'response', '3.0')).toEqual({
      type: 'object',
      properties: { 'x-kept': { type: 'string' } },
    });
  });

  it('keeps additionalProperties exactly, and defaults', () => {
    for (const additionalProperties of [true, false, { type: 'string' }]) {
      expect(toJsonSchema({ type: 'object', additionalProperties }, 'request', '3.0')).toEqual({
        type: 'object',
        additionalProperties,
      });
    }
    expect(toJsonSchema({ type: 'object' }, 'request', '3.0')).toEqual({ type: 'object' });
    expect(toJsonSchema({ type: 'integer', default: 20 }, 'parameter', '3.0')).toEqual({
      type: 'integer',
      default: 20,
    });
  });

  it('drops defaults ajv cannot apply (under oneOf/anyOf/not) from request schemas only', () => {
    const schema = {
      type: 'object',
      properties: {
        mode: { type: 'integer', default: 0 },
        choice: { oneOf: [{ type: 'object', properties: { n: { type: 'integer', default: 1 } } }] },
      },
    };
    const choice = (use: 'request' | 'response') =>
      (toJsonSchema(schema, use, '3.0')['properties'] as Record<string, { oneOf: unknown[] }>)['choice']!
        .oneOf[0];
    expect(choice('request')).toEqual({ type: 'object', properties: { n: { type: 'integer' } } });
    expect(choice('response')).toEqual({
      type: 'object',
      properties: { n: { type: 'integer', default: 1 } },
    });
    expect(toJsonSchema(schema, 'request', '3.0')['properties']).toMatchObject({ mode: { default: 0 } });
  });

  it('does not touch its input', () => {
    const input = { type: 'string', nullable: true, format: 'int64' };
    toJsonSchema(input, 'request', '3.0');
    expect(input).toEqual({ type: 'string', nullable: true, format: 'int64' });
  });
});

describe('toJsonSchema (OpenAPI 3.1)', () => {
  it('accepts type arrays and examples as they are', () => {
    expect(toJsonSchema({ type: ['string', 'null'], examples: ['x'] }, 'response', '3.1')).toEqual({
      type: ['string', 'null'],
      examples: ['x'],
    });
  });

  it('still removes readOnly properties from requests', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } },
    };
    expect(toJsonSchema(schema, 'request', '3.1')).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
    });
  });
});
