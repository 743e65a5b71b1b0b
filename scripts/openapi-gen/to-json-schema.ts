import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { OpenApiVersion } from './load-document.ts';

export type JsonSchema = { [keyword: string]: unknown };

/** Where a schema is used decides which properties it keeps: readOnly ones never come in, writeOnly never go out. */
export type SchemaUse = 'request' | 'response' | 'parameter';

/**
 * Formats that JSON Schema draft-07 (and ajv-formats) define. Anything else (OpenAPI's int32, int64,
 * float, double, byte, binary, password, custom ones) is dropped, since ajv's strict mode rejects
 * unknown formats; int32 first becomes its minimum/maximum.
 */
const STANDARD_FORMATS = new Set([
  'date',
  'date-time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'json-pointer',
  'regex',
  'relative-json-pointer',
  'time',
  'uri',
  'uri-reference',
  'uri-template',
  'uuid',
]);

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 -> draft-07 fixes applied to every node before the library converts it. */
function beforeNode(node: JsonSchema): JsonSchema {
  const schema: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith('x-')) schema[key] = value;
  }
  if (
    typeof schema['format'] === 'string' &&
    schema['format'] !== 'int32' &&
    !STANDARD_FORMATS.has(schema['format'])
  ) {
    delete schema['format'];
  }
  // The library only widens `type` for nullable; a nullable schema without a type would lose its null.
  if (schema['nullable'] === true && schema['type'] === undefined) {
    const { nullable: _nullable, ...rest } = schema;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return schema;
}

function afterNode(node: JsonSchema, version: OpenApiVersion): JsonSchema {
  delete node['$schema'];
  if (typeof node['format'] === 'string' && !STANDARD_FORMATS.has(node['format'])) delete node['format'];
  if (version === '3.0') {
    // OpenAPI 3.0 (like draft-04) has boolean exclusive bounds; draft-07 wants the bound itself.
    for (const [exclusive, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (node[exclusive] === true && typeof node[bound] === 'number') {
        node[exclusive] = node[bound];
        delete node[bound];
      } else if (typeof node[exclusive] === 'boolean') {
        delete node[exclusive];
      }
    }
  }
  return node;
}

// Subschemas that ajv evaluates as "composite rules": it cannot apply a `default` found below them.
const COMPOSITE = new Set(['anyOf', 'oneOf', 'not', 'if', 'contains', 'propertyNames']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependencies', 'dependentSchemas']);

/**
 * Validators (ajv with Fastify's useDefaults) ignore a `default` under anyOf/oneOf/not/if, and ajv's
 * strict mode, on in Fastify, refuses to compile such a schema. Dropping it changes nothing that is
 * validated. Response schemas keep theirs: fast-json-stringify writes defaults of missing properties.
 */
function dropUnappliableDefaults(node: unknown, inComposite: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) dropUnappliableDefaults(item, inComposite);
    return;
  }
  if (!isRecord(node)) return;
  if (inComposite) delete node['default'];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') continue;
    if (SUBSCHEMA_MAPS.has(key) && isRecord(value)) {
      for (const child of Object.values(value)) dropUnappliableDefaults(child, inComposite);
    } else {
      dropUnappliableDefaults(value, inComposite || COMPOSITE.has(key));
    }
  }
}

/**
 * A dereferenced OpenAPI schema as draft-07 JSON Schema, fit for ajv 8 strict mode and
 * fast-json-stringify. `additionalProperties` and `default`s stay exactly as written.
 */
export function toJsonSchema(schema: unknown, use: SchemaUse, version: OpenApiVersion): JsonSchema {
  if (!isRecord(schema)) return {};
  const converted = fromSchema(schema, {
    cloneSchema: true,
    // 3.1 schemas are JSON Schema already: type arrays are fine, there is no `nullable`.
    strictMode: version === '3.0',
    removeReadOnly: use === 'request',
    removeWriteOnly: use === 'response',
    beforeTransform: (node) => beforeNode(node as JsonSchema) as never,
    afterTransform: (node) => afterNode(node as JsonSchema, version) as never,
  });
  const result = JSON.parse(JSON.stringify(converted)) as JsonSchema;
  // The library stamps draft-04 on the root; Fastify's ajv 8 would look that meta-schema up and fail.
  delete result['$schema'];
  if (use !== 'response') dropUnappliableDefaults(result, false);
  return result;
}
