import type { MediaModel, OperationModel, ParameterLocation, ResponseModel } from './collect-operations.ts';
import type { SecuritySchemeModel } from './collect-security-schemes.ts';
import { OPERATION_ROUTE_FILE } from './emit-operation-route.ts';
import { generatedHeader } from './generated-header.ts';
import { ALL_STATUS_CODES_TYPE, REGISTERED_STATUS_CODES, STATUS_CLASSES } from './http-status-codes.ts';
import { camelCase, pascalCase } from './naming.ts';
import { toSource, type SharedSchema } from './shared-schemas.ts';
import type { JsonSchema } from './to-json-schema.ts';

export interface ServerInput {
  /** The spec, as named in the header: `oapi/profile.yaml`. */
  readonly source: string;
  /** The API's name from the codegen config: `profile`. */
  readonly apiName: string;
  readonly operations: readonly OperationModel[];
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeModel>>;
  /** Component schemas written once as constants; the route table refers to them (default: none). */
  readonly sharedSchemas?: readonly SharedSchema[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function index(name: string | number): string {
  return `[${JSON.stringify(name)}]`;
}

/** Response keys as openapi-typescript writes them: numbers for codes, strings for 4XX and default. */
function statusIndex(status: string): string {
  return /^\d+$/.test(status) ? `[${status}]` : index(status);
}

/**
 * server.gen.ts: per operation a request type, a response union and a handler method; the route table
 * with converted schemas; the security schemes. All types index into schema.gen.ts, so both files
 * always agree.
 */
export function emitServer(input: ServerInput): string {
  const prefix = camelCase(input.apiName);
  const typePrefix = pascalCase(input.apiName);
  const lines: string[] = [generatedHeader(input.source), ''];
  const routeTypes = new Set(['OperationRoute', 'SecurityScheme']);
  const body: string[] = [];
  for (const operation of input.operations) body.push(...emitOperationTypes(operation, routeTypes), '');
  lines.push(`import type { ${[...routeTypes].sort().join(', ')} } from '../${OPERATION_ROUTE_FILE}';`);
  if (input.operations.length > 0) lines.push(`import type { paths } from './schema.gen.ts';`);
  lines.push('');
  lines.push(
    '// A handler returns exactly one of the responses its operation declares: a status, media type, header',
    '// or body the spec does not declare fails to compile. A `default` (or `4XX`) response stands for every',
    '// registered status code the operation does not declare on its own.',
    '',
  );

  lines.push(...body);

  const context = input.operations.length > 0 ? 'Context' : '_Context';
  lines.push(`export interface ${typePrefix}Handlers<${context}> {`);
  for (const operation of input.operations) {
    lines.push(
      `  /** ${operation.method} ${operation.path} */`,
      `  ${operation.methodName}(request: ${operation.typeName}Request, context: ${context}): Promise<${operation.typeName}Response>;`,
    );
  }
  lines.push('}', '');

  // Only constants the route table really uses are written (a component may be unused by any operation).
  const routes = input.operations.map(routeOf);
  const shared = usedSharedSchemas(input.sharedSchemas ?? [], routes);
  const byText = new Map(shared.map((s) => [JSON.stringify(s.schema), s.identifier]));
  if (shared.length > 0) {
    lines.push('// Component schemas the route table uses, converted for Fastify and written once.', '');
  }
  for (const s of shared) {
    lines.push(
      `/** ${s.source} */`,
      `const ${s.identifier} = ${toSource(s.schema, byText, s.identifier)} as const;`,
      '',
    );
  }
  lines.push(
    `export const ${prefix}Operations = ${toSource(routes, byText)} as const satisfies readonly OperationRoute[];`,
    '',
    `export const ${prefix}SecuritySchemes = ${JSON.stringify(input.securitySchemes, null, 2)} as const satisfies { readonly [name: string]: SecurityScheme };`,
    '',
  );
  return lines.join('\n');
}

function emitOperationTypes(operation: OperationModel, routeTypes: Set<string>): string[] {
  const op = `${operation.typeName}Operation`;
  const lines = [
    `type ${op} = paths${index(operation.path)}${index(operation.pathItemKey)};`,
    '',
    `/** ${operation.method} ${operation.path} */`,
    ...emitRequest(operation, op),
    '',
    `/** ${operation.method} ${operation.path} */`,
    ...emitResponse(operation, op, routeTypes),
  ];
  return lines;
}

function emitParameterObject(operation: OperationModel, op: string, location: ParameterLocation): string {
  const parameters = operation.parameters.filter((p) => p.in === location);
  if (parameters.length === 0) return 'Record<string, never>';
  const fields = parameters.map((p) => {
    const type = `NonNullable<${op}['parameters']${index(location)}>${index(p.name)}`;
    return `${key(p.key)}${p.required ? '' : '?'}: ${type};`;
  });
  return `{ ${fields.join(' ')} }`;
}

function mediaBodyType(base: string, media: MediaModel): string {
  return `${base}['content']${index(media.mediaType)}`;
}

function emitRequest(operation: OperationModel, op: string): string[] {
  const name = `${operation.typeName}Request`;
  const common = [
    `params: ${emitParameterObject(operation, op, 'path')};`,
    `query: ${emitParameterObject(operation, op, 'query')};`,
    `headers: ${emitParameterObject(operation, op, 'header')};`,
  ];
  const body = operation.requestBody;
  if (body === undefined) return [`export interface ${name} {`, ...common, 'body: undefined;', '}'];
  const optional = body.required ? '' : '?';
  const bodyBase = `NonNullable<${op}['requestBody']>`;
  if (body.media.length === 1) {
    return [
      `export interface ${name} {`,
      ...common,
      `body${optional}: ${mediaBodyType(bodyBase, body.media[0]!)};`,
      '}',
    ];
  }
  const variants = body.media.map(
    (media) =>
      `| { contentType: ${JSON.stringify(media.mediaType)}; body${optional}: ${mediaBodyType(bodyBase, media)} }`,
  );
  if (!body.required) variants.push('| { contentType?: undefined; body?: undefined }');
  return [`export type ${name} = {`, ...common, '} & (', ...variants, ');'];
}

function numericStatuses(responses: readonly ResponseModel[]): Set<number> {
  return new Set(responses.filter((r) => /^\d+$/.test(r.status)).map((r) => Number(r.status)));
}

function excluding(typeName: string, codes: readonly number[]): string {
  return codes.length === 0 ? typeName : `Exclude<${typeName}, ${codes.join(' | ')}>`;
}

/** The status literal, or for `4XX` and `default` the registered codes not declared on their own. */
function statusType(
  response: ResponseModel,
  responses: readonly ResponseModel[],
  routeTypes: Set<string>,
): string {
  if (/^\d+$/.test(response.status)) return response.status;
  const explicit = [...numericStatuses(responses)];
  if (response.status === 'default') {
    const ranges = responses.filter((r) => /^[1-5]XX$/.test(r.status)).map((r) => r.status.charAt(0));
    const inRanges = REGISTERED_STATUS_CODES.filter((code) => ranges.includes(String(code).charAt(0)));
    routeTypes.add(ALL_STATUS_CODES_TYPE);
    return excluding(ALL_STATUS_CODES_TYPE, [...new Set([...explicit, ...inRanges])].sort());
  }
  const statusClass = STATUS_CLASSES.find((c) => String(c.codes[0]).charAt(0) === response.status.charAt(0))!;
  routeTypes.add(statusClass.typeName);
  return excluding(
    statusClass.typeName,
    explicit.filter((code) => String(code).charAt(0) === response.status.charAt(0)).sort(),
  );
}

function emitResponse(operation: OperationModel, op: string, routeTypes: Set<string>): string[] {
  const members: string[] = [];
  for (const response of operation.responses) {
    const responseType = `${op}['responses']${statusIndex(response.status)}`;
    const fields = [`status: ${statusType(response, operation.responses, routeTypes)};`];
    if (response.headers.length > 0) {
      const headers = response.headers.map(
        (h) => `${key(h.name)}${h.required ? '' : '?'}: ${responseType}['headers']${index(h.name)};`,
      );
      fields.push(`headers: { ${headers.join(' ')} };`);
    }
    if (response.media.length === 0) {
      members.push(`| { ${fields.join(' ')} }`);
      continue;
    }
    for (const media of response.media) {
      const contentType =
        response.media.length > 1 ? [`contentType: ${JSON.stringify(media.mediaType)};`] : [];
      members.push(
        `| { ${[...fields, ...contentType, `body: ${mediaBodyType(responseType, media)};`].join(' ')} }`,
      );
    }
  }
  return [
    `export type ${operation.typeName}Response =`,
    ...members.map((m, i) => (i === members.length - 1 ? `${m};` : m)),
  ];
}

function mediaTypeSchemas(media: readonly MediaModel[]): { content: Record<string, { schema: JsonSchema }> } {
  return { content: Object.fromEntries(media.map((m) => [m.mediaType, { schema: m.schema }])) };
}

function objectSchema(
  operation: OperationModel,
  location: ParameterLocation,
  extra: Record<string, unknown>,
): JsonSchema | undefined {
  const parameters = operation.parameters.filter((p) => p.in === location);
  if (parameters.length === 0 && location !== 'query') return undefined;
  const required = parameters.filter((p) => p.required).map((p) => p.key);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.key, p.schema])),
    ...(required.length > 0 ? { required } : {}),
    ...extra,
  };
}

/** The shared schemas that some route (or some used shared schema) refers to, in definition order. */
function usedSharedSchemas(candidates: readonly SharedSchema[], routes: readonly unknown[]): SharedSchema[] {
  const byText = new Map(candidates.map((s) => [JSON.stringify(s.schema), s]));
  const used = new Set<SharedSchema>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const match = byText.get(JSON.stringify(value));
    if (match !== undefined) {
      if (used.has(match)) return;
      used.add(match);
    }
    for (const child of Object.values(value)) visit(child);
  };
  for (const route of routes) visit(route);
  return candidates.filter((s) => used.has(s));
}

function routeOf(operation: OperationModel): unknown {
  const params = objectSchema(operation, 'path', {});
  const headers = objectSchema(operation, 'header', {});
  const body = operation.requestBody;
  return {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    url: operation.url,
    tags: operation.tags,
    security: operation.security,
    requestContentTypes: body?.media.map((m) => m.mediaType) ?? [],
    requestBodyRequired: body?.required ?? false,
    responses: Object.fromEntries(
      operation.responses.map((r) => [
        r.status,
        { contentTypes: r.media.map((m) => m.mediaType), headers: r.headers.map((h) => h.name) },
      ]),
    ),
    schema: {
      ...(params === undefined ? {} : { params }),
      querystring: objectSchema(operation, 'query', { additionalProperties: false }),
      ...(headers === undefined ? {} : { headers }),
      ...(body === undefined ? {} : { body: mediaTypeSchemas(body.media) }),
      response: Object.fromEntries(
        operation.responses
          .filter((r) => r.media.length > 0)
          .map((r) => [r.status, mediaTypeSchemas(r.media)]),
      ),
    },
  };
}
