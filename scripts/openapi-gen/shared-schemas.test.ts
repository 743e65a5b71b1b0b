import { describe, expect, it } from 'vitest';
import { parseOpenApiDocument } from './load-document.ts';
import { collectSharedSchemas, toSource } from './shared-schemas.ts';

const loaded = parseOpenApiDocument(
  `openapi: 3.0.3
info: { title: t, version: '1' }
paths: {}
components:
  schemas:
    Id: { type: string, format: uuid }
    Problem:
      type: object
      properties: { title: { type: string } }
    Item:
      type: object
      properties:
        id: { type: string, readOnly: true }
        problem: { $ref: '#/components/schemas/Problem' }
`,
  'oapi/a.yaml',
);

describe('collectSharedSchemas', () => {
  const shared = collectSharedSchemas(loaded);

  it('keeps scalars inline, names one constant per distinct form, smallest first', () => {
    expect(shared.map((s) => [s.identifier, s.source])).toEqual([
      ['problemSchema', 'components.schemas.Problem'],
      ['itemRequestSchema', 'components.schemas.Item'],
      ['itemResponseSchema', 'components.schemas.Item'],
    ]);
  });

  it('gives the request form no readOnly property', () => {
    const request = shared.find((s) => s.identifier === 'itemRequestSchema')!.schema;
    expect(Object.keys(request['properties'] as object)).toEqual(['problem']);
  });
});

describe('toSource', () => {
  it('writes a subtree equal to a shared schema as its constant, never the constant as itself', () => {
    const problem = { type: 'object', properties: { title: { type: 'string' } } };
    const byText = new Map([[JSON.stringify(problem), 'problemSchema']]);
    expect(toSource({ 'a-b': [problem, 1, null] }, byText)).toBe('{ "a-b": [problemSchema, 1, null] }');
    expect(toSource(problem, byText, 'problemSchema')).toBe(
      '{ type: "object", properties: { title: { type: "string" } } }',
    );
  });
});
