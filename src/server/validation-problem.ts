// Turns ajv's errors into RFC 9457 invalidParams. Parameters are named as the client sent them;
// body fields as a path from `body` (body.address.city, body.items[2]).
import type { FastifySchemaValidationError } from 'fastify';
import type { InvalidParam } from '../platform/problem.ts';

export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

export function invalidParamsOf(
  part: HttpPart,
  errors: readonly FastifySchemaValidationError[],
): InvalidParam[] {
  const seen = new Set<string>();
  const result: InvalidParam[] = [];
  for (const error of errors) {
    const param = describe(part, error);
    const key = `${param.name}\u0000${param.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(param);
  }
  return result;
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
  return { name: nameOf(part, segments), reason };
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
