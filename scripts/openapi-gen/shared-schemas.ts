import type { LoadedDocument } from './load-document.ts';
import { camelCase } from './naming.ts';
import { derefSchema } from './resolve-refs.ts';
import { toJsonSchema, type JsonSchema, type SchemaUse } from './to-json-schema.ts';

/** A component schema as the route table uses it, written once in server.gen.ts as a named constant. */
export interface SharedSchema {
  /** The constant's name: `problemSchema`, or `profileResponseSchema` when uses convert differently. */
  readonly identifier: string;
  /** Where it comes from, for the comment above the constant: `components.schemas.Problem`. */
  readonly source: string;
  readonly schema: JsonSchema;
}

const USES: readonly SchemaUse[] = ['response', 'request', 'parameter'];
const USE_SUFFIX: Readonly<Record<SchemaUse, string>> = {
  response: 'Response',
  request: 'Request',
  parameter: 'Parameter',
};
// Scalars (`{ type: string, format: uuid }`) stay inline: a name would not make them shorter, and two
// scalar components with one shape would make the name a guess.
const COMPOUND_KEYWORDS = ['properties', 'items', 'allOf', 'anyOf', 'oneOf', 'additionalProperties'];

/**
 * Every compound component schema, converted for each use it can have. readOnly and writeOnly
 * properties make a schema's request and response forms differ; identical forms share one constant.
 * The route table replaces any subschema equal to one of these by its constant, so Fastify still gets
 * exactly the schemas it got when everything was inlined; only the generated text shrinks.
 */
export function collectSharedSchemas(loaded: LoadedDocument): SharedSchema[] {
  const names = Object.keys(loaded.document.components?.schemas ?? {});
  const shared: SharedSchema[] = [];
  const taken = new Set<string>();
  for (const name of names) {
    const at = ['components', 'schemas', name];
    const ref = { $ref: `#/components/schemas/${name.replaceAll('~', '~0').replaceAll('/', '~1')}` };
    const forms = new Map<string, { schema: JsonSchema; uses: SchemaUse[] }>();
    for (const use of USES) {
      const schema = toJsonSchema(derefSchema(loaded.document, ref, at, loaded.file), use, loaded.version);
      if (!COMPOUND_KEYWORDS.some((keyword) => keyword in schema)) continue;
      const text = JSON.stringify(schema);
      const form = forms.get(text);
      if (form === undefined) forms.set(text, { schema, uses: [use] });
      else form.uses.push(use);
    }
    for (const { schema, uses } of forms.values()) {
      const suffix = forms.size === 1 ? '' : USE_SUFFIX[uses[0]!];
      const identifier = uniqueIdentifier(`${camelCase(name)}${suffix}Schema`, taken);
      shared.push({ identifier, source: `components.schemas.${name}`, schema });
    }
  }
  // A constant may use smaller ones; those are strictly shorter, so shortest first defines them first.
  return shared
    .map((entry, order) => ({ entry, order, size: JSON.stringify(entry.schema).length }))
    .sort((a, b) => a.size - b.size || a.order - b.order)
    .map(({ entry }) => entry);
}

function uniqueIdentifier(wanted: string, taken: Set<string>): string {
  let identifier = wanted;
  for (let n = 2; taken.has(identifier); n += 1) identifier = `${wanted}${n}`;
  taken.add(identifier);
  return identifier;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * TypeScript source for a JSON value, with every subtree equal to a shared schema written as that
 * schema's constant. `except` is the constant being defined (it must not refer to itself).
 */
export function toSource(value: unknown, shared: ReadonlyMap<string, string>, except?: string): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const identifier = shared.get(JSON.stringify(value));
  if (identifier !== undefined && identifier !== except) return identifier;
  if (Array.isArray(value)) return `[${value.map((item) => toSource(item, shared)).join(', ')}]`;
  const entries = Object.entries(value).map(
    ([key, child]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${toSource(child, shared)}`,
  );
  return `{ ${entries.join(', ')} }`;
}
