// Request validation with two ajv instances: parameters arrive as strings and are coerced to their
// declared types, bodies are JSON and never coerced (a "5" is not an age). Neither removes unknown
// properties: where the spec says additionalProperties: false, an unknown field is an error. Values
// the service could not store faithfully (Infinity, NUL, unpaired surrogates) are errors too, and so
// are parameters that JavaScript would read as numbers but are not plain decimals ("0x10", "1e2").
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { rejectingLooseNumbers } from './strict-number-parameters.ts';
import { rejectingUnrepresentableValues } from './unrepresentable-values.ts';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const shared: Options = {
  // Checking each schema against JSON Schema's meta-schema compiled that meta-schema in both instances
  // and was two fifths of the validators' start-up. The schemas are generated from the contract, and a
  // test checks every route schema of api/ against the meta-schema instead (test/route-schemas.test.ts);
  // strict mode still rejects unknown keywords and malformed types as each schema compiles.
  validateSchema: false,
  allErrors: true,
  useDefaults: true,
  removeAdditional: false,
  allowUnionTypes: true,
  strict: true,
  messages: true,
};

function createAjv(options: Options): Ajv {
  return addFormats(new Ajv({ ...shared, ...options }));
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const forParameters = createAjv({ coerceTypes: 'array' });
  const forBodies = createAjv({ coerceTypes: false });
  const cache = new WeakMap<object, ValidateFunction>();

  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? forBodies : forParameters;
    const key = schema as object;
    let validate = httpPart === 'body' ? undefined : cache.get(key);
    if (!validate) {
      validate = ajv.compile(schema as object);
      // Node's HTTP parser already refuses NUL and control characters in header values.
      if (httpPart !== 'headers') validate = rejectingUnrepresentableValues(validate);
      if (httpPart !== 'body') validate = rejectingLooseNumbers(validate, schema);
      if (httpPart !== 'body') cache.set(key, validate);
    }
    return validate;
  };
}
