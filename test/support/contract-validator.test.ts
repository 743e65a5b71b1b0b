import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractClient } from './contract-client.ts';
import {
  Contract,
  ContractViolationError,
  expectContractResponse,
  type ContractResponse,
} from './contract-validator.ts';

const FIXTURE = 'test/fixtures/contract/items.yaml';
const ITEM_ID = '0190a5c6-0000-7000-8000-000000000001';
const item = { id: ITEM_ID, name: 'pen', price: 120, createdAt: '2026-01-01T00:00:00.000Z' };

function response(
  statusCode: number,
  headers: ContractResponse['headers'],
  body: unknown = '',
): ContractResponse {
  return { statusCode, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

const json = { 'content-type': 'application/json; charset=utf-8' };
const problemJson = { 'content-type': 'application/problem+json; charset=utf-8' };

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load(FIXTURE);
});

function violation(operation: string, given: ContractResponse): string {
  try {
    contract.check(operation, given);
  } catch (error) {
    if (error instanceof ContractViolationError) return error.message;
    throw error;
  }
  throw new Error('expected a contract violation');
}

describe('Contract.check accepts', () => {
  it('a declared status with its required headers, media type and a body matching the schema', () => {
    expect(() => contract.check('getItem', response(200, { ...json, etag: '"1"' }, item))).not.toThrow();
  });

  it('nullable fields, 304 and 204 without a body, and a problem with parameters in its media type', () => {
    expect(() =>
      contract.check('getItem', response(200, { ...json, etag: '"1"' }, { ...item, price: null })),
    ).not.toThrow();
    expect(() => contract.check('getItem', response(304, { etag: '"1"' }))).not.toThrow();
    expect(() => contract.check('deleteItem', response(204, {}))).not.toThrow();
    expect(() =>
      contract.check('deleteItem', response(404, problemJson, { status: 404, title: 'Not found' })),
    ).not.toThrow();
  });

  it('a status through its class (4XX) and through default, with a wildcard media type', () => {
    expect(() =>
      contract.check('listItems', response(418, problemJson, { status: 418, title: 'Teapot' })),
    ).not.toThrow();
    expect(() =>
      contract.check('listItems', response(503, { 'content-type': 'text/plain' }, 'down')),
    ).not.toThrow();
  });

  it('operations named by method and path template as well as by operationId', () => {
    expect(() => contract.check('GET /items/{id}', response(304, { etag: '"1"' }))).not.toThrow();
  });
});

describe('Contract.check refuses', () => {
  it('a status the operation does not declare', () => {
    expect(violation('getItem', response(500, problemJson, { status: 500, title: 'x' }))).toMatch(
      /getItem \(GET \/items\/\{id\}\) answered 500: status 500 is not declared \(declared: 200, 304, 404\)/,
    );
  });

  it('a missing required header, whatever the case of the others', () => {
    expect(violation('getItem', response(200, json, item))).toMatch(/required header ETag is missing/);
    expect(violation('getItem', response(304, {}))).toMatch(/required header ETag is missing/);
  });

  it('a Content-Type the status does not declare, or none at all', () => {
    expect(violation('getItem', response(200, { ...problemJson, etag: '"1"' }, item))).toMatch(
      /Content-Type application\/problem\+json is not declared \(declared: application\/json\)/,
    );
    expect(violation('getItem', response(200, { etag: '"1"' }, item))).toMatch(
      /has a body but no Content-Type/,
    );
  });

  it('a body that breaks the schema, naming every broken place', () => {
    const message = violation(
      'getItem',
      response(200, { ...json, etag: '"1"' }, { id: 'not-a-uuid', name: '', price: -1, extra: true }),
    );
    expect(message).toMatch(/does not match the application\/json schema/);
    expect(message).toContain('/id must match format "uuid"');
    expect(message).toContain('/name must NOT have fewer than 1 characters');
    expect(message).toContain('/price must be >= 0');
    expect(message).toContain('(root) must NOT have additional properties');
  });

  it('a body that is not JSON although the media type says so', () => {
    expect(violation('getItem', response(200, { ...json, etag: '"1"' }, '{"id":'))).toMatch(/not valid JSON/);
  });

  it('a body on a 204 or a 304', () => {
    expect(violation('deleteItem', response(204, json, item))).toMatch(
      /status 204 declares no content, yet the response has a body/,
    );
    expect(violation('getItem', response(304, { ...json, etag: '"1"' }, item))).toMatch(
      /status 304 declares no content/,
    );
  });

  it('an empty body where content is declared', () => {
    expect(violation('getItem', response(200, { ...json, etag: '"1"' }))).toMatch(
      /declares content \(application\/json\), yet the body is empty/,
    );
  });

  it('an operation the document does not have', () => {
    expect(() => contract.operation('getNothing')).toThrow(ContractViolationError);
    expect(() => contract.operation('PUT /items/{id}')).toThrow(/has no operation PUT \/items\/\{id\}/);
  });

  it('and shows the offending response in the message', () => {
    expect(violation('getItem', response(200, json, { ...item, price: 'free' }))).toContain('"price":"free"');
  });
});

describe('Contract.operationFor', () => {
  it('finds the operation of a concrete URL, literal segments before parameters, ignoring the query', () => {
    expect(contract.operationFor('GET', '/items/search?q=pen')?.operationId).toBe('searchItems');
    expect(contract.operationFor('get', `/items/${ITEM_ID}`)?.operationId).toBe('getItem');
    expect(contract.operationFor('DELETE', `/items/${ITEM_ID}`)?.operationId).toBe('deleteItem');
    expect(contract.operationFor('POST', '/items')).toBeUndefined();
    expect(contract.operationFor('GET', '/items/a/b')).toBeUndefined();
  });
});

describe('expectContractResponse', () => {
  it('awaits the response, checks it and hands it back', async () => {
    const given = response(304, { etag: '"1"' });
    await expect(expectContractResponse(FIXTURE, 'getItem', Promise.resolve(given))).resolves.toBe(given);
    await expect(expectContractResponse(FIXTURE, 'getItem', response(304, {}))).rejects.toThrow(
      /ETag is missing/,
    );
  });
});

describe('contractClient', () => {
  let app: FastifyInstance;
  let seenHeaders: Record<string, unknown> = {};
  beforeAll(async () => {
    app = Fastify();
    app.get('/items/:id', async (request, reply) => {
      seenHeaders = request.headers;
      const { id } = request.params as { id: string };
      if (id === 'no-etag') return reply.send(item);
      return reply.header('ETag', '"1"').send(item);
    });
    app.delete('/items/:id', async (_request, reply) => reply.code(204).send());
    app.get('/undocumented', async () => ({}));
    await app.ready();
  });
  afterAll(() => app.close());

  it('checks every response of a real server and adds its default headers to every request', async () => {
    const client = await contractClient(app, FIXTURE, { headers: { authorization: 'Bearer t' } });
    const ok = await client.inject({ method: 'GET', url: `/items/${ITEM_ID}`, headers: { 'x-other': '1' } });
    expect(ok.statusCode).toBe(200);
    expect(seenHeaders).toMatchObject({ authorization: 'Bearer t', 'x-other': '1' });
    await expect(client.inject({ method: 'DELETE', url: '/items/x' })).resolves.toMatchObject({
      statusCode: 204,
    });
    await expect(client.inject({ method: 'GET', url: '/items/no-etag' })).rejects.toThrow(
      /getItem \(GET \/items\/\{id\}\) answered 200: required header ETag is missing/,
    );
  });

  it('refuses a request to a path the contract does not have', async () => {
    const client = await contractClient(app, FIXTURE);
    await expect(client.inject({ method: 'GET', url: '/undocumented' })).rejects.toThrow(
      /has no operation for GET \/undocumented/,
    );
  });
});

describe('the repository documents', () => {
  it.each(['oapi/profile.yaml', 'oapi/reference/pix-api-v2.9.0.openapi.yaml'])(
    '%s: every JSON response schema compiles under strict ajv',
    async (file) => {
      const document = await Contract.load(file);
      const operations = document.operations();
      expect(operations.length).toBeGreaterThan(0);
      let checked = 0;
      for (const operation of operations) {
        for (const declared of operation.responses) {
          const status = /^\d+$/.test(declared.status) ? Number(declared.status) : 599;
          const headers = Object.fromEntries(declared.headers.map((header) => [header.name, 'x']));
          for (const media of declared.media.filter((each) => each.mediaType.includes('json'))) {
            // A schema that failed to compile would throw ajv's error, not a violation.
            try {
              document.check(
                operation,
                response(status, { ...headers, 'content-type': media.mediaType }, {}),
              );
            } catch (error) {
              expect(error).toBeInstanceOf(ContractViolationError);
              expect((error as Error).message).toMatch(/does not match the/);
            }
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(operations.length);
    },
    30_000,
  );
});
