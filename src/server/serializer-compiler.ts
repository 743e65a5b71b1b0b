// Response serializers: fast-json-stringify, as Fastify's default, compiled once per schema rather
// than once per route and status. The contracts share their schemas (every route's problem responses
// point at the one problem schema), so without this each of the dozens of copies was compiled, and
// checked against JSON Schema's meta-schema, on its own at every start. A serializer depends on its
// schema alone (no shared schemas are added with addSchema), so one compiled function serves all.
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';

type Serializer = (data: unknown) => string;

export function createSerializerCompiler(): FastifySerializerCompiler<unknown> {
  const compiled = new WeakMap<object, Serializer>();
  return ({ schema }) => {
    const key = schema as object;
    let serialize = compiled.get(key);
    if (!serialize) {
      serialize = fastJsonStringify(key) as Serializer;
      compiled.set(key, serialize);
    }
    return serialize;
  };
}
