// Defects in the body, derived from the operation's schemas: broken JSON, prototype pollution, wrong
// types, out-of-range and unstorable values, unknown and missing fields, wrong media types, oversize.
import fc from 'fast-check';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { bodySchemaOf, withBody, withHeaders, type Defect, type FuzzContext } from './fuzz-request.ts';
import {
  hostileCharacter,
  hostileString,
  propertiesOf,
  requiredOf,
  tooLongString,
  typesOf,
  validSample,
  wrongTypeValue,
} from './schema-values.ts';

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"name":',
    '{"name": "Ada Lovelace",}',
    "{'name': 'Ada Lovelace'}",
    'NaN',
    'undefined',
    '{"a":1}{"b":2}',
    '[1,2',
    '{"name": "\\x41"}',
    '{"name": "\\ud800',
    '{"name":"a\u0000b"}',
    'tru',
    '01',
    '{"age": 01}',
    '"unterminated',
    '\u0000',
    ' ',
  ),
  fc.string({ unit: hostileCharacter, minLength: 1, maxLength: 60 }).filter((text) => !parsesAsJson(text)),
);

function pollutedBodies(valid: string): string[] {
  const rest = valid.length > 2 ? `,${valid.slice(1)}` : '}';
  return [
    `{"__proto__":{"polluted":true}${rest}`,
    `{"constructor":{"prototype":{"polluted":true}}${rest}`,
    `{"nested":{"__proto__":{"polluted":true}}${rest}`,
    `${valid.slice(0, -1)}${valid.length > 2 ? ',' : ''}"__proto__":{"isAdmin":true}}`,
  ];
}

/** Within the length bounds, but with NUL or an unpaired surrogate that storage cannot keep. */
function unstorableString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('\u0000', '\ud800', '\udfff'),
      fc.string({ unit: 'grapheme-ascii', minLength, maxLength: Math.max(minLength, maxLength - 1) }),
      fc.nat(),
    )
    .map(([bad, text, at]) => {
      const position = at % (text.length + 1);
      return (text.slice(0, position) + bad + text.slice(position)).slice(0, Math.max(maxLength, 1));
    })
    .filter(
      (value) => (value.includes('\u0000') || /[\ud800-\udfff]/.test(value)) && value.length >= minLength,
    );
}

export function bodyDefects(operation: OperationRoute, context: FuzzContext): fc.Arbitrary<Defect>[] {
  const consumes = operation.requestContentTypes;
  if (consumes.length === 0) return [];
  const defects: fc.Arbitrary<Defect>[] = [];
  const contentType = fc.constantFrom(...consumes);

  defects.push(
    fc.tuple(contentType, malformedJson).map(([type, payload]) => ({
      defect: `malformed JSON as ${type}`,
      apply: (request) => withHeaders(withBody(request, payload), { 'content-type': type }),
    })),
  );

  defects.push(
    fc
      .tuple(contentType, fc.nat())
      .map(([type, pick]) => {
        const bodies = pollutedBodies(JSON.stringify(validSample(bodySchemaOf(operation, type))));
        return [type, bodies[pick % bodies.length]!] as const;
      })
      .map(([type, payload]) => ({
        defect: `prototype pollution ${payload.slice(0, 40)}`,
        apply: (request) => withHeaders(withBody(request, payload), { 'content-type': type }),
      })),
  );

  for (const type of consumes) {
    const schema = bodySchemaOf(operation, type);
    const valid = validSample(schema) as Record<string, unknown>;
    const asBody = (label: string, body: unknown): Defect => ({
      defect: `${label} as ${type}`,
      apply: (request) => withHeaders(withBody(request, JSON.stringify(body)), { 'content-type': type }),
    });
    if (typesOf(schema).has('object')) {
      defects.push(
        fc
          .oneof(fc.integer(), hostileString, fc.boolean(), fc.constant(null), fc.array(fc.jsonValue()))
          .map((body) => asBody('non-object body', body)),
      );
      const properties = propertiesOf(schema);
      for (const [name, property] of Object.entries(properties)) {
        const wrong = wrongTypeValue(property);
        if (wrong)
          defects.push(wrong.map((value) => asBody(`wrong type for ${name}`, { ...valid, [name]: value })));
        if (typeof property.maxLength === 'number')
          defects.push(
            tooLongString(property.maxLength).map((value) =>
              asBody(`${name} too long`, { ...valid, [name]: value }),
            ),
          );
        if (typesOf(property).has('string') && property.format === undefined)
          defects.push(
            unstorableString(Number(property.minLength ?? 1), Number(property.maxLength ?? 50)).map((value) =>
              asBody(`${name} unstorable`, { ...valid, [name]: value }),
            ),
          );
        if (typeof property.minLength === 'number' && property.minLength > 1)
          defects.push(
            fc
              .string({ unit: hostileCharacter, maxLength: property.minLength - 1 })
              .filter((value) => [...value].length < Number(property.minLength))
              .map((value) => asBody(`${name} too short`, { ...valid, [name]: value })),
          );
        if (property.format === 'email')
          defects.push(
            fc
              .constantFrom('no-at-sign', 'two@@example.org', '@example.org', 'a@', 'a b@example.org', '')
              .map((value) => asBody(`${name} not an email`, { ...valid, [name]: value })),
          );
        if (typeof property.minimum === 'number')
          defects.push(
            fc
              .integer({ min: -1_000_000, max: property.minimum - 1 })
              .map((value) => asBody(`${name} below minimum`, { ...valid, [name]: value })),
          );
        if (typeof property.maximum === 'number')
          defects.push(
            fc
              .oneof(fc.integer({ min: property.maximum + 1 }), fc.constant(1e300))
              .map((value) => asBody(`${name} above maximum`, { ...valid, [name]: value })),
          );
      }
      if (schema.additionalProperties === false)
        defects.push(
          fc
            .tuple(
              fc.string({ unit: hostileCharacter, minLength: 1, maxLength: 20 }),
              fc.jsonValue({ maxDepth: 2 }),
            )
            .filter(([name]) => !(name in properties))
            .map(([name, value]) => asBody('unknown field', { ...valid, [name]: value })),
        );
      for (const name of requiredOf(schema)) {
        const { [name]: _dropped, ...without } = valid;
        defects.push(fc.constant(asBody(`missing ${name}`, without)));
      }
    }
  }

  const notConsumed = [
    'text/plain',
    'text/json',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=fuzz',
    'application/merge-patch+json',
    'application/json-patch+json',
    'application/jsonx',
    'application/',
    'json',
    '*/*',
    'application/*',
    'application/json, text/plain',
    'application/json\r\nX-Injected: 1',
  ].filter((type) => !consumes.includes(type));
  defects.push(
    fc.constantFrom(...notConsumed).map((type) => ({
      defect: `content type ${type}`,
      apply: (request) => withHeaders(request, { 'content-type': type }),
    })),
  );

  defects.push(
    fc.integer({ min: 1, max: 64 * 1024 }).map((extra) => ({
      defect: `body ${extra} bytes over the limit`,
      apply: (request) => withBody(request, `{"name":"${'a'.repeat(context.bodyLimitBytes + extra)}"}`),
    })),
  );

  if (operation.requestBodyRequired)
    defects.push(fc.constant({ defect: 'missing body', apply: (request) => withBody(request, undefined) }));

  return defects;
}
