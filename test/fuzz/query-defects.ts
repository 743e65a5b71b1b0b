// Defects in the query string, derived from the operation's parameters: unknown names, numbers out of
// range or not numbers at all, repeated scalars, strings breaking their pattern or length.
import fc from 'fast-check';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { encodeHostile, withQuery, type Defect } from './fuzz-request.ts';
import { hostileString, propertiesOf, tooLongString, typesOf, validSample } from './schema-values.ts';

export function queryDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
  const schema = operation.schema.querystring;
  if (!schema) return [];
  const properties = propertiesOf(schema);
  const defects: fc.Arbitrary<Defect>[] = [];
  const addQuery = (label: string, query: string): Defect => ({
    defect: `${label}: ?${query.slice(0, 60)}`,
    apply: (request) => withQuery(request, query),
  });

  if (schema.additionalProperties === false)
    defects.push(
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'sort', 'filter[name]', 'page[size]', '$where'),
            hostileString,
          ),
          hostileString,
        )
        .filter(([name]) => name.length > 0 && !(name in properties))
        .map(([name, value]) =>
          addQuery('unknown parameter', `${encodeHostile(name)}=${encodeHostile(value)}`),
        ),
    );

  for (const [name, property] of Object.entries(properties)) {
    const types = typesOf(property);
    if (types.has('integer')) {
      const invalid: fc.Arbitrary<string>[] = [
        fc.constantFrom(
          'abc',
          'NaN',
          'Infinity',
          '-Infinity',
          '1.5',
          '',
          'true',
          '[]',
          '%00',
          '1%00',
          '%E2%80%AE1',
        ),
        fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }).map(String),
      ];
      if (typeof property.minimum === 'number')
        invalid.push(fc.integer({ min: -1_000_000_000, max: property.minimum - 1 }).map(String));
      if (typeof property.maximum === 'number')
        invalid.push(
          fc.oneof(
            fc
              .bigInt({ min: BigInt(property.maximum) + 1n, max: BigInt(property.maximum) * 2n + 10n })
              .map(String),
            fc.constant('9'.repeat(400)),
          ),
        );
      defects.push(
        fc.oneof(...invalid).map((value) => addQuery(`invalid ${name}`, `${name}=${encodeHostile(value)}`)),
      );
      const valid = String(validSample(property));
      defects.push(
        fc
          .integer({ min: 2, max: 5 })
          .map((times) => addQuery(`repeated ${name}`, Array(times).fill(`${name}=${valid}`).join('&'))),
      );
    }
    if (
      types.has('string') &&
      (typeof property.pattern === 'string' || typeof property.maxLength === 'number')
    ) {
      const pattern = typeof property.pattern === 'string' ? new RegExp(property.pattern, 'u') : undefined;
      const maxLength = typeof property.maxLength === 'number' ? property.maxLength : Infinity;
      defects.push(
        fc
          .oneof(hostileString, tooLongString(Number.isFinite(maxLength) ? maxLength : 100))
          .filter((value) => [...value].length > maxLength || (pattern !== undefined && !pattern.test(value)))
          .map((value) => addQuery(`invalid ${name}`, `${name}=${encodeHostile(value)}`)),
      );
    }
  }
  return defects;
}
