// house/bounded-inputs: every string, number and array a client sends has a bound, so the schema
// refuses an oversized value before any code sees it. Inputs are parameters (the path item's and the
// operation's) and request bodies, followed through $refs and every nested schema; responses are ours
// and are not checked. A string needs `maxLength` unless it is an enum, a const or a format of fixed or
// small length; a number both ends (`minimum`/`exclusiveMinimum` and `maximum`/`exclusiveMaximum`); an
// array `maxItems`. `readOnly` properties are never sent, so they are skipped.
import { resolveNode } from './resolve-node.js';

const SELF_BOUNDED_FORMATS = new Set(['uuid', 'date', 'date-time']);
/** Keywords whose value is a schema, or a map or list of schemas. */
const SUBSCHEMA = ['items', 'not', 'additionalProperties', 'contains', 'if', 'then', 'else', 'propertyNames'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties'];

/** @param {any} schema */
function missingBounds(schema) {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const missing = [];
  const hasValues = schema.enum !== undefined || schema.const !== undefined;
  if (
    types.includes('string') &&
    schema.maxLength === undefined &&
    !hasValues &&
    !SELF_BOUNDED_FORMATS.has(schema.format)
  ) {
    missing.push('a string without maxLength');
  }
  if ((types.includes('integer') || types.includes('number')) && !hasValues) {
    const low = schema.minimum !== undefined || typeof schema.exclusiveMinimum === 'number';
    const high = schema.maximum !== undefined || typeof schema.exclusiveMaximum === 'number';
    if (!low || !high)
      missing.push(
        `a number without ${!low && !high ? 'minimum and maximum' : !low ? 'minimum' : 'maximum'}`,
      );
  }
  if (types.includes('array') && schema.maxItems === undefined) missing.push('an array without maxItems');
  return missing;
}

/** @returns {import('@redocly/openapi-core').Oas3Rule} */
export function BoundedInputs() {
  /** Schemas already checked (by identity): a shared schema is reported once, where it is written. */
  const checked = new Set();

  /**
   * @param {any} ctx
   * @param {unknown} raw
   * @param {any} location where `raw` is written
   */
  const checkSchema = (ctx, raw, location) => {
    const { node: schema, location: at } = resolveNode(ctx, raw, location);
    if (!schema || typeof schema !== 'object' || checked.has(schema)) return;
    checked.add(schema);
    for (const missing of missingBounds(schema)) {
      ctx.report({ message: `Unbounded input: ${missing}.`, location: at });
    }
    for (const key of SUBSCHEMA) {
      if (schema[key] && typeof schema[key] === 'object') checkSchema(ctx, schema[key], at.child([key]));
    }
    for (const key of SUBSCHEMA_LISTS) {
      (Array.isArray(schema[key]) ? schema[key] : []).forEach((member, index) =>
        checkSchema(ctx, member, at.child([key, index])),
      );
    }
    for (const key of SUBSCHEMA_MAPS) {
      for (const [name, member] of Object.entries(schema[key] ?? {})) {
        const memberAt = at.child([key, name]);
        if (resolveNode(ctx, member, memberAt).node?.readOnly === true) continue;
        checkSchema(ctx, member, memberAt);
      }
    }
  };

  /**
   * @param {any} ctx
   * @param {unknown[] | undefined} parameters
   * @param {any} location where the list is written
   */
  const checkParameters = (ctx, parameters, location) => {
    (parameters ?? []).forEach((raw, index) => {
      const { node: parameter, location: at } = resolveNode(ctx, raw, location.child([index]));
      if (parameter?.schema !== undefined) checkSchema(ctx, parameter.schema, at.child(['schema']));
      for (const [mediaType, media] of Object.entries(parameter?.content ?? {})) {
        checkSchema(ctx, /** @type {any} */ (media)?.schema, at.child(['content', mediaType, 'schema']));
      }
    });
  };

  return {
    PathItem(pathItem, ctx) {
      checkParameters(ctx, pathItem.parameters, ctx.location.child(['parameters']));
    },
    Operation(operation, ctx) {
      checkParameters(ctx, operation.parameters, ctx.location.child(['parameters']));
      if (operation.requestBody === undefined) return;
      const { node: body, location: at } = resolveNode(
        ctx,
        operation.requestBody,
        ctx.location.child(['requestBody']),
      );
      for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
        checkSchema(ctx, /** @type {any} */ (media)?.schema, at.child(['content', mediaType, 'schema']));
      }
    },
  };
}
