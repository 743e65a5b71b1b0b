// Defects in the headers: missing, stale, weak or malformed If-Match on writes, and an Accept the
// operation cannot satisfy.
import fc from 'fast-check';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { headerSchemaHas, withHeaders, type Defect } from './fuzz-request.ts';
import { hostileCharacter } from './schema-values.ts';

const staleIfMatch = fc
  .oneof(
    fc.constantFrom(
      '"2"',
      '"0"',
      '"-1"',
      'W/"1"',
      '1',
      '"1',
      '1"',
      "'1'",
      '""',
      '**',
      '"1"x',
      '"99999999999999999999"',
      '"\u0000"',
      '"1"\r\nX-Injected: 1',
    ),
    fc.string({ unit: hostileCharacter, maxLength: 30 }),
    fc.integer({ min: 1025, max: 20_000 }).map((length) => `"${'1'.repeat(length)}"`),
  )
  // Anything that names the seeded version (or any version) would rightly succeed.
  .filter((value) => !/(^|,)\s*"1"\s*(,|$)/.test(value) && value.trim() !== '*');

export function headerDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
  const defects: fc.Arbitrary<Defect>[] = [];
  if (headerSchemaHas(operation, 'if-match')) {
    defects.push(
      fc.constant({ defect: 'no If-Match', apply: (r) => withHeaders(r, { 'if-match': undefined }) }),
    );
    defects.push(
      staleIfMatch.map((value) => ({
        defect: `If-Match ${value.slice(0, 40)}`,
        apply: (request) => withHeaders(request, { 'if-match': value }),
      })),
    );
  }
  const produces = Object.entries(operation.responses)
    .filter(([status]) => status.startsWith('2'))
    .flatMap(([, response]) => response.contentTypes);
  if (produces.length > 0)
    defects.push(
      fc
        .constantFrom(
          'text/html',
          'application/xml',
          'image/png',
          'application/json;q=0',
          'text/plain, application/json;q=0',
          'application/problem+json',
          'application/json;q=0\r\nX-Injected: 1',
        )
        .filter((accept) => !produces.includes(accept))
        .map((accept) => ({
          defect: `Accept ${accept}`,
          apply: (request) => withHeaders(request, { accept }),
        })),
    );
  return defects;
}
