// Values derived from an operation's JSON Schema: one that passes it (so a single planted defect is
// the only thing wrong with a request) and ones that certainly fail a property of it.
import fc from 'fast-check';
import type { JsonSchema } from '../../api/operation-route.gen.ts';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function typesOf(schema: JsonSchema): Set<JsonType> {
  const declared = schema.type;
  const types = new Set<JsonType>(
    Array.isArray(declared) ? (declared as JsonType[]) : declared ? [declared as JsonType] : [],
  );
  if (schema.nullable === true) types.add('null');
  return types;
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

export function requiredOf(schema: JsonSchema): string[] {
  return (schema.required ?? []) as string[];
}

/** A small value the schema accepts (formats the contracts use are honoured). */
export function validSample(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[])[0];
  const types = typesOf(schema);
  if (types.has('object')) {
    const properties = propertiesOf(schema);
    return Object.fromEntries(requiredOf(schema).map((name) => [name, validSample(properties[name] ?? {})]));
  }
  if (types.has('string')) {
    switch (schema.format) {
      case 'email':
        return 'fuzz@example.org';
      case 'uuid':
        return '0190a5c6-0000-7000-8000-000000000000';
      case 'date-time':
        return '2026-01-01T00:00:00.000Z';
      case 'uri':
        // A host the test resolver knows as public (test/support/test-resolver.ts).
        return 'https://pix.example.com/';
    }
    if (typeof schema.pattern === 'string') return matchingSample(schema.pattern);
    return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
  }
  if (types.has('integer') || types.has('number')) return Number(schema.minimum ?? 1);
  if (types.has('boolean')) return true;
  if (types.has('array')) return [];
  return null;
}

/** One string the pattern accepts (the same one every run: the seed is fixed). */
function matchingSample(pattern: string): string {
  return fc.sample(fc.stringMatching(new RegExp(pattern, 'u')), { seed: 1, numRuns: 1 })[0]!;
}

/** JSON values of a type the property does not allow (1.5 where only integers are). */
export function wrongTypeValue(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const allowed = typesOf(schema);
  if (allowed.size === 0) return undefined;
  const numeric = allowed.has('integer') || allowed.has('number');
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (!allowed.has('string')) candidates.push(fc.string({ maxLength: 20 }));
  if (!allowed.has('boolean')) candidates.push(fc.boolean());
  if (!allowed.has('null')) candidates.push(fc.constant(null));
  if (!allowed.has('array')) candidates.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  if (!allowed.has('object')) candidates.push(fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
  if (!numeric) candidates.push(fc.integer());
  if (allowed.has('integer') && !allowed.has('number'))
    candidates.push(fc.integer({ min: -1000, max: 1000 }).map((n) => n + 0.5));
  return candidates.length > 0 ? fc.oneof(...candidates) : undefined;
}

/** Characters that break naive text handling: NUL, lone surrogates, bidi overrides, line separators. */
export const hostileCharacter = fc.oneof(
  fc.constantFrom(
    '\u0000',
    '\ud800',
    '\udfff',
    '\u202e',
    '\u200f',
    '\u200b',
    '\ufeff',
    '\r',
    '\n',
    '\u2028',
    '\u{1F600}',
    'é',
    '"',
    '\\',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

export const hostileString = fc.string({ unit: hostileCharacter, maxLength: 40 });

/** A string certainly longer than maxLength code points, made of hostile and plain characters. */
export function tooLongString(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(hostileString, fc.integer({ min: 1, max: Math.max(maxLength * 20, 10_000) }))
    .map(([noise, extra]) => noise + 'a'.repeat(maxLength + extra));
}
