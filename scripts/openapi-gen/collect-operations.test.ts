import { describe, expect, it } from 'vitest';
import { collectOperations } from './collect-operations.ts';
import { parseOpenApiDocument } from './load-document.ts';

function collect(yaml: string, deriveOperationIds = false) {
  return collectOperations(parseOpenApiDocument(yaml, 'oapi/test.yaml'), { deriveOperationIds });
}

const head = `
openapi: 3.0.3
info: { title: t, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: 'https://a.example/t', scopes: { a.read: r } } }
`;

describe('collectOperations', () => {
  it('takes the operation security, else the document security; [] means open', () => {
    const operations = collect(`${head}
security: [{ bearer: [] }]
paths:
  /a:
    get: { operationId: inherits, responses: { '204': { description: ok } } }
    post: { operationId: own, security: [{ oauth: [a.read] }], responses: { '204': { description: ok } } }
    delete: { operationId: open, security: [], responses: { '204': { description: ok } } }
`);
    expect(operations.map((op) => [op.operationId, op.security])).toEqual([
      ['inherits', [{ bearer: [] }]],
      ['own', [{ oauth: ['a.read'] }]],
      ['open', []],
    ]);
  });

  it('is open when neither the operation nor the document asks for security', () => {
    const [operation] = collect(`${head}
paths:
  /a:
    get: { operationId: a, responses: { '204': { description: ok } } }
`);
    expect(operation!.security).toEqual([]);
  });

  it('merges path-level parameters, lets the operation override them, lower-cases headers', () => {
    const [operation] = collect(`${head}
paths:
  /a/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
      - { name: q, in: query, schema: { type: string } }
    get:
      operationId: a
      parameters:
        - { name: q, in: query, required: true, schema: { type: integer } }
        - { name: If-Match, in: header, schema: { type: string } }
        - { name: Accept, in: header, schema: { type: string } }
      responses: { '204': { description: ok } }
`);
    expect(operation!.url).toBe('/a/:id');
    expect(operation!.parameters).toEqual([
      { name: 'id', key: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'q', key: 'q', in: 'query', required: true, schema: { type: 'integer' } },
      { name: 'If-Match', key: 'if-match', in: 'header', required: false, schema: { type: 'string' } },
    ]);
  });

  it('reads bodies and responses with media types, headers and statuses', () => {
    const [operation] = collect(`${head}
paths:
  /a:
    patch:
      operationId: a
      requestBody:
        content:
          application/merge-patch+json: { schema: { type: object } }
          application/json: {}
      responses:
        '200':
          description: ok
          headers:
            ETag: { required: true, schema: { type: string } }
            Content-Type: { schema: { type: string } }
          content: { application/json: { schema: { type: string } } }
        4XX: { description: client error }
`);
    expect(operation!.requestBody).toEqual({
      required: false,
      media: [
        { mediaType: 'application/merge-patch+json', schema: { type: 'object' } },
        { mediaType: 'application/json', schema: {} },
      ],
    });
    expect(operation!.responses).toEqual([
      {
        status: '200',
        media: [{ mediaType: 'application/json', schema: { type: 'string' } }],
        headers: [{ name: 'ETag', required: true }],
      },
      { status: '4XX', media: [], headers: [] },
    ]);
  });

  it('derives missing operationIds only when asked to', () => {
    const yaml = `${head}
paths:
  /cob/{txid}:
    put:
      parameters: [{ name: txid, in: path, required: true, schema: { type: string } }]
      responses: { '204': { description: ok } }
`;
    expect(() => collect(yaml)).toThrow("oapi/test.yaml at paths['/cob/{txid}'].put: missing operationId");
    expect(collect(yaml, true).map((op) => [op.operationId, op.typeName, op.methodName])).toEqual([
      ['putCobByTxid', 'PutCobByTxid', 'putCobByTxid'],
    ]);
  });

  it.each([
    [
      'a duplicate operationId',
      `/a: { get: { operationId: getA, responses: { '200': { description: ok } } } }
  /b: { get: { operationId: get-a, responses: { '200': { description: ok } } } }`,
      "oapi/test.yaml at paths['/b'].get.operationId: duplicate operationId 'get-a' (also used by GET /a)",
    ],
    [
      'a cookie parameter',
      `/a:
    get:
      operationId: a
      parameters: [{ name: session, in: cookie, schema: { type: string } }]
      responses: { '200': { description: ok } }`,
      `oapi/test.yaml at paths['/a'].get.parameters[0].in: unsupported parameter location "cookie" for 'session'`,
    ],
    [
      'an undeclared path parameter',
      `/a/{id}: { get: { operationId: a, responses: { '200': { description: ok } } } }`,
      "path parameter '{id}' is not declared in parameters",
    ],
    [
      'an optional path parameter',
      `/a/{id}:
    get:
      operationId: a
      parameters: [{ name: id, in: path, schema: { type: string } }]
      responses: { '200': { description: ok } }`,
      "path parameter 'id' must be required: true",
    ],
    [
      'an unknown security scheme',
      `/a: { get: { operationId: a, security: [{ apiKey: [] }], responses: { '200': { description: ok } } } }`,
      "oapi/test.yaml at paths['/a'].get.security[0].apiKey: unknown security scheme 'apiKey'",
    ],
    [
      'an invalid status',
      `/a: { get: { operationId: a, responses: { '2X0': { description: ok } } } }`,
      "invalid response status '2X0'",
    ],
    [
      'an unsupported method',
      `/a: { head: { operationId: a, responses: { '200': { description: ok } } } }`,
      "oapi/test.yaml at paths['/a'].head: unsupported method 'head'",
    ],
    [
      'an operationId that cannot name a handler',
      `/a: { get: { operationId: 2fa, responses: { '200': { description: ok } } } }`,
      "'2fa' cannot name a handler: it starts with a digit",
    ],
    [
      'a parameter with content instead of schema',
      `/a:
    get:
      operationId: a
      parameters: [{ name: f, in: query, content: { application/json: { schema: { type: object } } } }]
      responses: { '200': { description: ok } }`,
      "parameter 'f' has no schema",
    ],
    [
      'a recursive schema',
      `/a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Tree' } } }
components:
  schemas:
    Tree: { type: object, properties: { children: { type: array, items: { $ref: '#/components/schemas/Tree' } } } }`,
      'oapi/test.yaml at components.schemas.Tree: recursive schema is not supported (Tree -> Tree)',
    ],
  ])('rejects %s', (_name, paths, message) => {
    const yaml = paths.includes('\ncomponents:')
      ? `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  ${paths}`
      : `${head}\npaths:\n  ${paths}\n`;
    expect(() => collect(yaml)).toThrow(message);
  });
});
