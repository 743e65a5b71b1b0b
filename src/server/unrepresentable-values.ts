// Values a schema accepts but the service cannot store or return faithfully, rejected as invalid:
// - non-finite numbers: ajv's coercion turns a query value of "Infinity" or a 400-digit number into
//   Infinity and accepts it as an integer under any maximum (it reached SQL as LIMIT 'Infinity');
// - strings with NUL, which PostgreSQL text cannot hold (the insert failed with a 500);
// - strings with unpaired surrogates, which UTF-8 cannot encode: they were stored as U+FFFD while the
//   response echoed the original, so the same version read back differently.
import type { ErrorObject, ValidateFunction } from 'ajv';

type DataContext = NonNullable<Parameters<ValidateFunction>[1]>;

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorableText(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

export function rejectingUnrepresentableValues(validate: ValidateFunction): ValidateFunction {
  const wrapped = function (data: unknown, dataContext?: DataContext): boolean {
    const valid = dataContext === undefined ? validate(data) : validate(data, dataContext);
    if (!valid) {
      wrapped.errors = validate.errors;
      return false;
    }
    // Coercion of the root value replaces it in its parent; read it from there when there is one.
    const validated: unknown =
      dataContext === undefined ? data : dataContext.parentData[dataContext.parentDataProperty];
    const errors = unrepresentable(validated, '');
    wrapped.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  } as ValidateFunction;
  wrapped.schema = validate.schema;
  wrapped.schemaEnv = validate.schemaEnv;
  wrapped.errors = null;
  return wrapped;
}

function error(instancePath: string, message: string): ErrorObject {
  return { instancePath, schemaPath: '#', keyword: 'type', params: {}, message };
}

function pointerTo(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function unrepresentable(value: unknown, instancePath: string): ErrorObject[] {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? [] : [error(instancePath, 'must be a finite number')];
  }
  if (typeof value === 'string') {
    return unstorableText(value)
      ? [error(instancePath, 'must not contain NUL or unpaired surrogate characters')]
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const errors: ErrorObject[] = [];
  const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of entries) {
    const path = pointerTo(instancePath, key);
    if (typeof key === 'string' && unstorableText(key)) {
      errors.push(error(path, 'must not be named with NUL or unpaired surrogate characters'));
    }
    errors.push(...unrepresentable(item, path));
  }
  return errors;
}
