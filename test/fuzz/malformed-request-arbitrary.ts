// Requests that are each wrong in at least one way the server must reject. Every request starts as a
// valid call of an operation (a seeded id, a schema-valid body, a matching If-Match) and gets one
// planted defect; harmless noise (hostile headers, odd credentials) is added on top. Because the
// rest is valid, a defect the server fails to catch turns into a write the data snapshot exposes.
import fc from 'fast-check';
import type { JsonSchema, OperationRoute } from '../../api/operation-route.gen.ts';
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

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** How the request presents itself to authentication: the test adds a valid token, none, or junk. */
export type Credentials = 'valid' | 'none' | 'broken';

export interface MalformedRequest {
  /** operationId, or the plain route or path it aims at. */
  target: string;
  defect: string;
  credentials: Credentials;
  request: FuzzRequest;
}

export interface FuzzContext {
  operations: readonly OperationRoute[];
  /** Every path template (contract and plain routes) with its registered methods. */
  methodsByPath: ReadonlyMap<string, ReadonlySet<string>>;
  /** Ids of live profiles, all at version 1: the targets writes must not change. */
  seededIds: readonly string[];
  bodyLimitBytes: number;
}

type Defect = { defect: string; apply: (request: FuzzRequest) => FuzzRequest };

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes invalid UTF-8 (%ED%A0%80). */
export function encodeHostile(text: string): string {
  let encoded = '';
  for (const character of text) {
    encoded += /^[\ud800-\udfff]$/.test(character) ? '%ED%A0%80' : encodeURIComponent(character);
  }
  return encoded;
}

function bodySchemaOf(operation: OperationRoute, contentType: string): JsonSchema {
  return operation.schema.body?.content[contentType]?.schema ?? {};
}

function headerSchemaHas(operation: OperationRoute, name: string): boolean {
  return name in propertiesOf(operation.schema.headers ?? {});
}

function withPathParameters(template: string, value: string): string {
  return template.replace(/\{[^}]+\}/g, value);
}

/** The operation called correctly, on a seeded profile where it takes an id. */
export function validCall(operation: OperationRoute, id: string): FuzzRequest {
  const request: FuzzRequest = {
    method: operation.method,
    url: withPathParameters(operation.path, id),
    headers: {},
  };
  const contentType = operation.requestContentTypes[0];
  if (contentType !== undefined) {
    request.headers['content-type'] = contentType;
    request.payload = JSON.stringify(validSample(bodySchemaOf(operation, contentType)));
  }
  if (headerSchemaHas(operation, 'if-match')) request.headers['if-match'] = '"1"';
  return request;
}

function withBody(request: FuzzRequest, payload: string | undefined): FuzzRequest {
  const next = { ...request, headers: { ...request.headers } };
  if (payload === undefined) delete next.payload;
  else next.payload = payload;
  return next;
}

function withHeaders(request: FuzzRequest, headers: Record<string, string | undefined>): FuzzRequest {
  const next = { ...request, headers: { ...request.headers } };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete next.headers[name];
    else next.headers[name] = value;
  }
  return next;
}

function withQuery(request: FuzzRequest, query: string): FuzzRequest {
  return { ...request, url: `${request.url}${request.url.includes('?') ? '&' : '?'}${query}` };
}

// --- path ---------------------------------------------------------------------------------------

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

function pathDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
  if (!operation.path.includes('{')) return [];
  return [
    badId.map((id) => ({
      defect: `bad id ${id.slice(0, 60)}`,
      apply: (request) => ({ ...request, url: withPathParameters(operation.path, id) }),
    })),
  ];
}

// --- body ---------------------------------------------------------------------------------------

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

function bodyDefects(operation: OperationRoute, context: FuzzContext): fc.Arbitrary<Defect>[] {
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

// --- query --------------------------------------------------------------------------------------

function queryDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
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
          fc.oneof(fc.integer({ min: property.maximum + 1 }).map(String), fc.constant('9'.repeat(400))),
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

// --- headers ------------------------------------------------------------------------------------

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

function headerDefects(operation: OperationRoute): fc.Arbitrary<Defect>[] {
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
    return fc.tuple(fc.constantFrom(...context.seededIds), defect).map(([id, { defect, apply }]) => ({
      target: operation.operationId,
      defect,
      credentials: 'valid' as const,
      request: apply(validCall(operation, id)),
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
