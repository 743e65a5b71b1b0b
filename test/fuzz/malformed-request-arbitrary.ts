// Requests that are each wrong in at least one way the server must reject. Every request starts as a
// valid call of an operation (a seeded id, a schema-valid body, a matching If-Match) and gets one
// planted defect; harmless noise (hostile headers, odd credentials) is added on top. Because the
// rest is valid, a defect the server fails to catch turns into a write the data snapshot exposes.
import fc from 'fast-check';
import { bodyDefects } from './body-defects.ts';
import {
  encodeHostile,
  validCall,
  withHeaders,
  withPathParameters,
  type Credentials,
  type FuzzContext,
  type MalformedRequest,
} from './fuzz-request.ts';
import { headerDefects } from './header-defects.ts';
import { pathDefects } from './path-defects.ts';
import { queryDefects } from './query-defects.ts';
import { hostileString } from './schema-values.ts';

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

// --- routes -------------------------------------------------------------------------------------

function wrongMethodDefects(context: FuzzContext): fc.Arbitrary<MalformedRequest>[] {
  const malformed: fc.Arbitrary<MalformedRequest>[] = [];
  for (const [path, methods] of context.methodsByPath) {
    const wrong = ALL_METHODS.filter((method) => !methods.has(method));
    if (wrong.length === 0) continue;
    malformed.push(
      fc.tuple(fc.constantFrom(...wrong), fc.constantFrom(...context.seededIds)).map(([method, id]) => ({
        target: path,
        defect: `method ${method}`,
        credentials: 'valid' as const,
        request: {
          method,
          url: withPathParameters(path, id),
          headers: { 'content-type': 'application/json', 'if-match': '"1"' },
          payload: JSON.stringify({ name: 'Method Override', email: 'override@example.org' }),
        },
      })),
    );
  }
  return malformed;
}

function unknownRoutes(context: FuzzContext): fc.Arbitrary<MalformedRequest> {
  const knownPaths = [...context.methodsByPath.keys()].map((path) =>
    withPathParameters(path, context.seededIds[0] ?? 'id'),
  );
  const junkSegment = fc.oneof(
    fc.constantFrom('x', '..', '%2e%2e%2f', '%00', 'index.html', '.env', '%ED%A0%80', 'a'.repeat(300)),
    hostileString.filter((segment) => segment.length > 0).map(encodeHostile),
  );
  const path = fc.oneof(
    fc.tuple(fc.constantFrom(...knownPaths), junkSegment).map(([known, junk]) => `${known}/${junk}`),
    junkSegment.map((junk) => `/${junk}`),
    fc.constantFrom(
      '/',
      '/v1',
      '/v2/profiles',
      '/V1/profiles',
      '/v1/profiles;jsessionid=1',
      '/v1/profiles%2F',
    ),
  );
  return fc.tuple(fc.constantFrom(...ALL_METHODS), path).map(([method, url]) => ({
    target: 'unknown route',
    defect: `${method} ${url.slice(0, 60)}`,
    credentials: 'valid' as const,
    request: {
      method,
      url,
      headers: { 'content-type': 'application/json', 'if-match': '"1"' },
      payload:
        method === 'GET' || method === 'HEAD'
          ? undefined
          : '{"name":"Unknown Route","email":"u@example.org"}',
    },
  }));
}

// --- noise --------------------------------------------------------------------------------------

const noiseHeaders = fc.record(
  {
    'x-request-id': fc.oneof(hostileString, fc.constant('id\r\nSet-Cookie: injected=1')),
    'x-fuzz': fc.constantFrom('a\r\nSet-Cookie: injected=1', 'a\nb', 'a\rb', '\u0000'),
    'accept-language': fc.integer({ min: 1, max: 32 * 1024 }).map((length) => 'x'.repeat(length)),
    'user-agent': hostileString,
    'if-none-match': fc.oneof(fc.constantFrom('*', '"1"', 'W/"1"', '"', ''), hostileString),
    forwarded: fc.constantFrom('for=127.0.0.1', 'for="\r\n"', 'for=unknown;proto=gopher'),
  },
  { requiredKeys: [] },
);

const credentials = fc.constantFrom<Credentials>('valid', 'valid', 'none', 'broken');

function withNoise(base: fc.Arbitrary<MalformedRequest>): fc.Arbitrary<MalformedRequest> {
  return fc
    .tuple(base, noiseHeaders, credentials, fc.boolean())
    .map(([malformed, noise, presented, headInsteadOfGet]) => {
      let request = withHeaders(malformed.request, noise);
      // HEAD runs every GET route's checks; its answers carry no body.
      if (headInsteadOfGet && request.method === 'GET') request = { ...request, method: 'HEAD' };
      return { ...malformed, credentials: presented, request };
    });
}

/** Malformed requests across every operation, the plain routes and unknown routes. */
export function malformedRequest(context: FuzzContext): fc.Arbitrary<MalformedRequest> {
  const perOperation = context.operations.map((operation) => {
    // Each family gets an equal share, however many defects it has.
    const families = [
      pathDefects(operation),
      bodyDefects(operation, context),
      queryDefects(operation),
      headerDefects(operation),
    ].filter((family) => family.length > 0);
    if (families.length === 0) throw new Error(`${operation.operationId}: no defect to plant`);
    const defect = fc.oneof(...families.map((family) => fc.oneof(...family)));
    const paths = context.seededPaths(operation);
    return fc.tuple(fc.constantFrom(...paths), defect).map(([path, { defect, apply }]) => ({
      target: operation.operationId,
      defect,
      credentials: 'valid' as const,
      request: apply(validCall(operation, path)),
    }));
  });
  return withNoise(
    fc.oneof(
      { arbitrary: fc.oneof(...perOperation), weight: 8 },
      { arbitrary: fc.oneof(...wrongMethodDefects(context)), weight: 1 },
      { arbitrary: unknownRoutes(context), weight: 1 },
    ),
  );
}
