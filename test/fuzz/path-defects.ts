// Defects in the path: ids that are not ids (traversal, encoded NUL, invalid UTF-8, overlong).
import fc from 'fast-check';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { strictAjv } from '../strict-ajv.ts';
import { encodeHostile, withPathParameters, type Defect } from './fuzz-request.ts';
import { hostileString } from './schema-values.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const badId = fc.oneof(
  fc.constantFrom(
    '..',
    '../..',
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e%2f',
    '%2e%2e',
    '%00',
    '0190a5c6-0000-7000-8000-000000000000%00',
    '%',
    '%zz',
    '%c0%ae%c0%ae',
    '%ED%A0%80',
    '%E2%80%AE',
    'null',
    '0',
    '-1',
    '{id}',
    ':id',
    '__proto__',
    'constructor',
    '0190a5c6-0000-7000-8000-00000000000g',
    '0190a5c6-0000-7000-8000-0000000000000',
    '0190a5c600007000800000000000000',
    '%200190a5c6-0000-7000-8000-000000000000',
  ),
  hostileString.filter((id) => id.length > 0 && !UUID.test(id)).map(encodeHostile),
  fc.integer({ min: 201, max: 5000 }).map((length) => 'a'.repeat(length)),
  fc.uuid().map((id) => `${id}%2F..`),
);

const ajv = strictAjv({ allowUnionTypes: true, strictTypes: false, strictRequired: false });

/**
 * Whether the id, as the router decodes it, is a valid value of every path parameter of the
 * operation: such an id is no defect there (a 31-character alphanumeric string is not a UUID, but it
 * is a txid).
 */
function acceptedBy(operation: OperationRoute): (id: string) => boolean {
  const params = operation.schema.params;
  if (!params) return () => false;
  const validate = ajv.compile(params);
  const names = Object.keys(params.properties ?? {});
  return (id) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(id);
    } catch {
      return false;
    }
    return validate(Object.fromEntries(names.map((name) => [name, decoded])));
  };
}

export function pathDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
  if (!operation.path.includes('{')) return [];
  const accepted = acceptedBy(operation);
  return [
    badId
      .filter((id) => !accepted(id))
      .map((id) => ({
        defect: `bad id ${id.slice(0, 60)}`,
        apply: (request) => ({ ...request, url: withPathParameters(operation.path, id) }),
      })),
  ];
}
