import { describe, expect, it } from 'vitest';
import { GenError } from './gen-error.ts';
import { derefSchema, followRef, resolvePointer } from './resolve-refs.ts';

const root = {
  components: {
    schemas: {
      Id: { type: 'string', format: 'uuid' },
      Named: { type: 'object', properties: { id: { $ref: '#/components/schemas/Id' } } },
      Node: {
        type: 'object',
        properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
      },
      A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
      B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
      'a/b~c': { type: 'integer' },
      WithExample: { type: 'object', example: { $ref: 'not a reference' } },
    },
    parameters: {
      Alias: { $ref: '#/components/parameters/Real' },
      Real: { name: 'id', in: 'path' },
      Loop: { $ref: '#/components/parameters/Loop' },
    },
  },
};

describe('resolvePointer', () => {
  it('follows JSON pointers, with ~1 and ~0 escapes', () => {
    expect(resolvePointer(root, '#/components/schemas/Id')).toEqual({ type: 'string', format: 'uuid' });
    expect(resolvePointer(root, '#/components/schemas/a~1b~0c')).toEqual({ type: 'integer' });
    expect(resolvePointer(root, '#')).toBe(root);
    expect(resolvePointer(root, '#/components/schemas/Missing')).toBeUndefined();
    expect(resolvePointer(root, 'other.yaml#/x')).toBeUndefined();
  });
});

describe('followRef', () => {
  it('follows a chain of refs and says where the value lives', () => {
    const followed = followRef(root, { $ref: '#/components/parameters/Alias' }, ['paths', '/x'], 'spec.yaml');
    expect(followed.value).toEqual({ name: 'id', in: 'path' });
    expect(followed.location).toEqual(['components', 'parameters', 'Real']);
  });

  it('rejects a ref cycle', () => {
    expect(() => followRef(root, { $ref: '#/components/parameters/Loop' }, [], 'spec.yaml')).toThrow(
      /spec\.yaml at components\.parameters\.Loop: \$ref cycle/,
    );
  });
});

describe('derefSchema', () => {
  it('inlines refs, deeply', () => {
    expect(derefSchema(root, { $ref: '#/components/schemas/Named' }, [], 'spec.yaml')).toEqual({
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' } },
    });
  });

  it('rejects a recursive schema, naming it', () => {
    const run = () => derefSchema(root, { $ref: '#/components/schemas/Node' }, [], 'spec.yaml');
    expect(run).toThrow(GenError);
    expect(run).toThrow(
      'spec.yaml at components.schemas.Node: recursive schema is not supported (Node -> Node)',
    );
  });

  it('rejects mutual recursion, naming the cycle', () => {
    expect(() => derefSchema(root, { $ref: '#/components/schemas/A' }, [], 'spec.yaml')).toThrow(
      'recursive schema is not supported (A -> B -> A)',
    );
  });

  it('lets annotations next to a ref override, and combines other siblings with allOf', () => {
    expect(derefSchema(root, { $ref: '#/components/schemas/Id', description: 'The id.' }, [], 'f')).toEqual({
      type: 'string',
      format: 'uuid',
      description: 'The id.',
    });
    expect(derefSchema(root, { $ref: '#/components/schemas/Id', maxLength: 36 }, [], 'f')).toEqual({
      allOf: [{ type: 'string', format: 'uuid' }, { maxLength: 36 }],
    });
  });

  it('copies examples as data, without following what looks like a ref', () => {
    expect(derefSchema(root, { $ref: '#/components/schemas/WithExample' }, [], 'f')).toEqual({
      type: 'object',
      example: { $ref: 'not a reference' },
    });
  });
});
