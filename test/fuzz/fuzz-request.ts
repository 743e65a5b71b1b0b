// The fuzzer's request model: the valid call of an operation that defects are planted in, and the
// small edits defects make to it.
import type { JsonSchema, OperationRoute } from '../../api/operation-route.gen.ts';
import { propertiesOf, validSample } from './schema-values.ts';

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
  /**
   * Where each operation finds seeded records (profiles at version 1, an active and a paid charge,
   * a Pix, a refund, a location): concrete paths the operation's valid call is made on, the targets
   * writes must not change.
   */
  seededPaths: (operation: OperationRoute) => readonly string[];
  /** Ids of live profiles, for paths an operation does not own (wrong methods, unknown routes). */
  seededIds: readonly string[];
  bodyLimitBytes: number;
}

/** One planted defect: what it is, and how it spoils a valid call. */
export type Defect = { defect: string; apply: (request: FuzzRequest) => FuzzRequest };

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes invalid UTF-8 (%ED%A0%80). */
export function encodeHostile(text: string): string {
  let encoded = '';
  for (const character of text) {
    encoded += /^[\ud800-\udfff]$/.test(character) ? '%ED%A0%80' : encodeURIComponent(character);
  }
  return encoded;
}

export function bodySchemaOf(operation: OperationRoute, contentType: string): JsonSchema {
  return operation.schema.body?.content[contentType]?.schema ?? {};
}

export function headerSchemaHas(operation: OperationRoute, name: string): boolean {
  return name in propertiesOf(operation.schema.headers ?? {});
}

export function withPathParameters(template: string, value: string): string {
  return template.replace(/\{[^}]+\}/g, value);
}

/** The operation called correctly on `path` (a seeded record where it takes ids), required query included. */
export function validCall(operation: OperationRoute, path: string): FuzzRequest {
  const querySchema = operation.schema.querystring ?? {};
  const required = ((querySchema.required ?? []) as string[]).map(
    (name) => `${name}=${encodeURIComponent(String(validSample(propertiesOf(querySchema)[name] ?? {})))}`,
  );
  const request: FuzzRequest = {
    method: operation.method,
    url: required.length === 0 ? path : `${path}?${required.join('&')}`,
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

export function withBody(request: FuzzRequest, payload: string | undefined): FuzzRequest {
  const next = { ...request, headers: { ...request.headers } };
  if (payload === undefined) delete next.payload;
  else next.payload = payload;
  return next;
}

export function withHeaders(request: FuzzRequest, headers: Record<string, string | undefined>): FuzzRequest {
  const next = { ...request, headers: { ...request.headers } };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete next.headers[name];
    else next.headers[name] = value;
  }
  return next;
}

export function withQuery(request: FuzzRequest, query: string): FuzzRequest {
  return { ...request, url: `${request.url}${request.url.includes('?') ? '&' : '?'}${query}` };
}
