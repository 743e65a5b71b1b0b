import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSchemas } from '../../test/route-schemas.ts';
import { strictAjv } from '../../test/strict-ajv.ts';
import { typecheckFolder } from '../../test/typecheck-program.ts';
import type { OperationRoute } from './fixtures/repo/api/operation-route.gen.ts';
import { emitOperationRoute, OPERATION_ROUTE_FILE } from './emit-operation-route.ts';
import { formatCode } from './format-code.ts';
import { generateApi } from './generate.ts';
import { loadDocument } from './load-document.ts';

// The Pix API reference (OpenAPI 3.0.0, ~8,900 lines) is the large real-world document the Payment API
// is a subset of: the generator must handle all of it. It names no operations, so ids are derived.
const PIX_SPEC = path.resolve(import.meta.dirname, '../../oapi/reference/pix-api-v2.9.0.openapi.yaml');

const CONTRADICTORY_RESPONSES = new Map([
  ['getCobrByTxid', '200'],
  ['getCobr', '200'],
  ['postCobrByTxidRetentativaByData', '201'],
]);

let dir: string;
let operations: readonly OperationRoute[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openapi-gen-pix-'));
  const loaded = await loadDocument(PIX_SPEC, 'oapi/pix.yaml');
  const files = await generateApi(loaded, { name: 'pix', spec: 'pix.yaml', deriveOperationIds: true });
  await mkdir(path.join(dir, 'api/pix'), { recursive: true });
  await writeFile(
    path.join(dir, 'api', OPERATION_ROUTE_FILE),
    await formatCode(emitOperationRoute('oapi/codegen.yaml')),
  );
  for (const file of files)
    await writeFile(path.join(dir, 'api/pix', file.path), await formatCode(file.content));
  const server = (await import(pathToFileURL(path.join(dir, 'api/pix/server.gen.ts')).href)) as {
    pixOperations: readonly OperationRoute[];
  };
  operations = server.pixOperations;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Pix API reference', () => {
  it('generates every operation', () => {
    expect(operations).toHaveLength(51);
    expect(operations.find((op) => op.path === '/cob/{txid}' && op.method === 'PUT')).toMatchObject({
      operationId: 'putCobByTxid',
      url: '/cob/:txid',
      security: [{ OAuth2: ['cob.write'] }],
      requestContentTypes: ['application/json'],
    });
  });

  it('generates code that typechecks with the project settings', async () => {
    const diagnostics = await typecheckFolder(dir, ['api/pix/schema.gen.ts', 'api/pix/server.gen.ts']);
    expect(diagnostics).toEqual([]);
  }, 120_000);

  it('has route schemas that compile with ajv 8 strict mode and ajv-formats', () => {
    // The Pix document puts `required` into allOf members apart from the `type` and `properties` it
    // refers to; ajv's strictTypes and strictRequired flag that authoring style (valid JSON Schema), and
    // inventing types or properties would change meaning, so those two are off here.
    const ajv = strictAjv({ strictTypes: false, strictRequired: false });
    const schemas = routeSchemas(operations);
    expect(schemas.length).toBe(302);
    for (const { where, schema } of schemas) expect(() => ajv.compile(schema), where).not.toThrow();
  });

  it('registers every route on Fastify, which builds all validators and serializers (bar three, below)', async () => {
    // Three payload-location operations live on another server (operation-level `servers`) and their
    // paths collide with API paths (GET /cobv/{txid} and GET /cobv/{pixUrlAccessToken}), so colliding
    // routes go to a second instance.
    const instances: { app: FastifyInstance; routes: Set<string> }[] = [];
    let registered = 0;
    try {
      for (const { operationId, method, url, schema } of operations) {
        const shape = `${method} ${url.replace(/:\w+/g, ':')}`;
        let instance = instances.find((candidate) => !candidate.routes.has(shape));
        if (instance === undefined) {
          instance = { app: Fastify({ ajv: { customOptions: { strictTypes: false } } }), routes: new Set() };
          instances.push(instance);
        }
        instance.routes.add(shape);
        const { [CONTRADICTORY_RESPONSES.get(operationId) ?? '']: _contradictory, ...response } =
          schema.response;
        instance.app.route({
          method,
          url,
          schema: { ...schema, response },
          handler: (_request, reply) => reply.send({}),
        });
        registered++;
      }
      for (const { app } of instances) await app.ready();
      expect(registered).toBe(51);
      expect(instances).toHaveLength(2);
    } finally {
      for (const { app } of instances) await app.close();
    }
  });

  it('has three response schemas no serializer can build, because the document contradicts itself', async () => {
    // CobR's `pix[].valor` is `type: string` and also anyOf four object schemas: no value satisfies both,
    // and fast-json-stringify refuses to merge the types. The generator passes the schema on as written.
    for (const operationId of CONTRADICTORY_RESPONSES.keys()) {
      const { method, url, schema } = operations.find((op) => op.operationId === operationId)!;
      const app = Fastify({ ajv: { customOptions: { strictTypes: false } } });
      app.route({ method, url, schema, handler: (_request, reply) => reply.send({}) });
      await expect(app.ready(), operationId).rejects.toThrow('Failed to merge "type" keyword schemas');
      await app.close();
    }
  });
});
