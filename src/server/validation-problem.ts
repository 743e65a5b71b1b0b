// Turns ajv's errors into RFC 9457 invalidParams. Parameters are named as the client sent them;
// body fields as a path from `body` (body.address.city, body.items[2]). The list is bounded, and so
// is each name: a body of 60,000 unknown keys must not earn a problem larger than itself.
import type { FastifySchemaValidationError } from 'fastify';
import type { InvalidParam } from '../platform/problem.ts';

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

/** The most entries a problem lists; `total` tells how many there were. */
export const MAX_INVALID_PARAMS = 20;
/** Names come from the client (body keys); longer ones are cut, marked with an ellipsis. */
export const MAX_PARAM_NAME_LENGTH = 200;

export interface InvalidParamList {
  /** The first MAX_INVALID_PARAMS distinct entries. */
  listed: InvalidParam[];
  /** Distinct entries in all. */
  total: number;
}

export function invalidParamsOf(
  part: HttpPart,
  errors: readonly FastifySchemaValidationError[],
): InvalidParamList {
  const seen = new Set<string>();
  const listed: InvalidParam[] = [];
  for (const error of errors) {
    const param = describe(part, error);
    const key = `${param.name}\u0000${param.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (listed.length < MAX_INVALID_PARAMS) listed.push(param);
  }
  return { listed, total: seen.size };
}

function describe(part: HttpPart, error: FastifySchemaValidationError): InvalidParam {
  const segments = pointerSegments(error.instancePath);
  const params = error.params;
  let reason = error.message ?? 'is invalid';
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    segments.push(params.missingProperty);
    reason = 'is required';
  } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    segments.push(params.additionalProperty);
    reason = part === 'body' ? 'is not a known field' : 'is not a known parameter';
  }
  return { name: bounded(nameOf(part, segments)), reason };
}

function bounded(name: string): string {
  return name.length <= MAX_PARAM_NAME_LENGTH ? name : `${name.slice(0, MAX_PARAM_NAME_LENGTH - 1)}\u2026`;
}

function nameOf(part: HttpPart, segments: string[]): string {
  if (part !== 'body') return segments[0] ?? part;
  let name = 'body';
  for (const segment of segments) name += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  return name;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
