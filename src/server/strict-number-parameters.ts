// Parameters arrive as text and ajv coerces them to their declared numeric types with JavaScript's
// Number(): "0x10", "1e2", " 5" and "10.0" all pass as integers. A parameter is a number only when
// its text is a plain decimal one, checked here before ajv coerces it.
import type { ErrorObject, ValidateFunction } from 'ajv';

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?$/;

interface ParameterSchema {
  properties?: Record<string, { type?: string | string[]; items?: { type?: string | string[] } }>;
}

type DataContext = NonNullable<Parameters<ValidateFunction>[1]>;

export function rejectingLooseNumbers(validate: ValidateFunction, schema: unknown): ValidateFunction {
  const checks: [name: string, pattern: RegExp, expected: string][] = [];
  for (const [name, property] of Object.entries((schema as ParameterSchema).properties ?? {})) {
    // A repeated parameter arrives as an array of texts: its items' type counts too.
    const types = [...typesOf(property.type), ...typesOf(property.items?.type)];
    if (types.includes('integer')) checks.push([name, INTEGER_TEXT, 'must be an integer']);
    else if (types.includes('number')) checks.push([name, NUMBER_TEXT, 'must be a decimal number']);
  }
  if (checks.length === 0) return validate;

  const wrapped = function (data: unknown, dataContext?: DataContext): boolean {
    const errors: ErrorObject[] = [];
    if (typeof data === 'object' && data !== null) {
      for (const [name, pattern, message] of checks) {
        const value = (data as Record<string, unknown>)[name];
        const texts = Array.isArray(value) ? value : [value];
        if (texts.some((text) => typeof text === 'string' && !pattern.test(text))) {
          errors.push({ instancePath: `/${name}`, schemaPath: '#', keyword: 'type', params: {}, message });
        }
      }
    }
    if (errors.length > 0) {
      wrapped.errors = errors;
      return false;
    }
    const valid = dataContext === undefined ? validate(data) : validate(data, dataContext);
    wrapped.errors = validate.errors;
    return valid;
  } as ValidateFunction;
  wrapped.schema = validate.schema;
  wrapped.schemaEnv = validate.schemaEnv;
  wrapped.errors = null;
  return wrapped;
}

function typesOf(type: string | string[] | undefined): string[] {
  return type === undefined ? [] : Array.isArray(type) ? type : [type];
}
