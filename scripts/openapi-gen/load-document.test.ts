import { describe, expect, it } from 'vitest';
import { parseOpenApiDocument } from './load-document.ts';

describe('parseOpenApiDocument', () => {
  it('reads 3.0.x and 3.1.x documents', () => {
    expect(parseOpenApiDocument('openapi: 3.0.3\ninfo: { title: t, version: "1" }', 'f.yaml').version).toBe(
      '3.0',
    );
    expect(parseOpenApiDocument('openapi: 3.1.0\ninfo: { title: t, version: "1" }', 'f.yaml').version).toBe(
      '3.1',
    );
  });

  it.each([
    ['unparsable YAML', 'openapi: [3.0.3', /^f\.yaml: invalid YAML: /],
    ['a document that is not a mapping', '- a', 'f.yaml: not an OpenAPI document'],
    [
      'another version',
      'swagger: "2.0"',
      'f.yaml at openapi: unsupported OpenAPI version undefined (3.0.x or 3.1.x)',
    ],
    [
      'an external $ref',
      'openapi: 3.0.3\npaths:\n  /a:\n    $ref: "other.yaml#/paths/a"',
      "f.yaml at paths['/a'].$ref: external $ref 'other.yaml#/paths/a' is not supported",
    ],
    [
      'a $ref that does not resolve',
      'openapi: 3.0.3\ncomponents:\n  schemas:\n    A: { $ref: "#/components/schemas/B" }',
      "f.yaml at components.schemas.A.$ref: $ref '#/components/schemas/B' does not resolve",
    ],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseOpenApiDocument(text, 'f.yaml')).toThrow(message);
  });

  it('does not follow what only looks like a $ref inside an example', () => {
    const text =
      'openapi: 3.0.3\ncomponents:\n  schemas:\n    A: { type: object, example: { $ref: "nowhere.yaml" } }';
    expect(() => parseOpenApiDocument(text, 'f.yaml')).not.toThrow();
  });
});
