// The service compiles its request validators without checking each schema against JSON Schema's
// meta-schema (src/server/validator-compiler.ts), to start faster; the check happens here instead,
// once, for every route schema of every generated API in api/, a module added later included.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeSchemas, type LocatedSchema } from './route-schemas.ts';
import { strictAjv } from './strict-ajv.ts';

const API = join(import.meta.dirname, '..', 'api');

async function everyServedSchema(): Promise<LocatedSchema[]> {
  const modules = readdirSync(API, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => readdirSync(join(API, entry.name)).includes('server.gen.ts'));
  const tables = await Promise.all(
    modules.map(async (entry) => {
      const exports = (await import(join(API, entry.name, 'server.gen.ts'))) as Record<string, unknown>;
      return Object.entries(exports)
        .filter(([name]) => name.endsWith('Operations'))
        .flatMap(([, routes]) => routeSchemas(routes as Parameters<typeof routeSchemas>[0]));
    }),
  );
  return tables.flat();
}

const ajv = strictAjv();

function metaSchemaErrors(schema: object): string | undefined {
  return ajv.validateSchema(schema) ? undefined : ajv.errorsText();
}

describe('the route schemas the service serves', () => {
  it('are valid JSON Schema, every one of every API in api/', async () => {
    const schemas = await everyServedSchema();
    // profile, payment, payment-payload and payment-sandbox, at the least.
    expect(schemas.length).toBeGreaterThan(100);
    const invalid = schemas.flatMap(({ where, schema }) => {
      const errors = metaSchemaErrors(schema);
      return errors === undefined ? [] : [`${where}: ${errors}`];
    });
    expect(invalid).toEqual([]);
  });

  it('would catch a schema the meta-schema refuses', () => {
    expect(metaSchemaErrors({ type: 'object', properties: { name: { minLength: 'five' } } })).toMatch(
      /minLength must be integer/,
    );
    expect(metaSchemaErrors({ type: 'object', required: 'name' })).toMatch(/required must be array/);
  });
});
