import { GenError } from './gen-error.ts';
import type { LoadedDocument } from './load-document.ts';
import { camelCase, deriveOperationId, identifierProblem, pascalCase } from './naming.ts';
import { pathTemplateParams, toFastifyUrl } from './path-template.ts';
import { derefSchema, followRef } from './resolve-refs.ts';
import { toJsonSchema, type JsonSchema, type SchemaUse } from './to-json-schema.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ParameterLocation = 'path' | 'query' | 'header';
export type SecurityRequirement = Record<string, string[]>;
type Location = readonly (string | number)[];
type Json = Record<string, unknown>;

export interface ParameterModel {
  /** As written in the spec (`If-Match`); the location decides the key the request uses. */
  readonly name: string;
  /** The key in the request object: header names lower-cased (Node delivers them so), others as written. */
  readonly key: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface MediaModel {
  readonly mediaType: string;
  readonly schema: JsonSchema;
}

export interface ResponseHeaderModel {
  readonly name: string;
  readonly required: boolean;
}

export interface ResponseModel {
  /** `200`, `4XX` or `default`, as written in the spec. */
  readonly status: string;
  readonly media: readonly MediaModel[];
  readonly headers: readonly ResponseHeaderModel[];
}

export interface OperationModel {
  readonly operationId: string;
  /** PascalCase of the operationId: `GetProfile` (-> GetProfileRequest, GetProfileResponse). */
  readonly typeName: string;
  /** camelCase of the operationId: the handler method. */
  readonly methodName: string;
  readonly method: HttpMethod;
  /** The lower-case method, as openapi-typescript's `paths` type spells it. */
  readonly pathItemKey: string;
  readonly path: string;
  readonly url: string;
  readonly tags: readonly string[];
  readonly security: readonly SecurityRequirement[];
  readonly parameters: readonly ParameterModel[];
  readonly requestBody: { readonly required: boolean; readonly media: readonly MediaModel[] } | undefined;
  readonly responses: readonly ResponseModel[];
}

export interface CollectOptions {
  readonly deriveOperationIds: boolean;
}

const METHODS: Readonly<Record<string, HttpMethod | undefined>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
};
const UNSUPPORTED_METHODS = new Set(['head', 'options', 'trace']);
const STATUS = /^(?:[1-5]\d\d|[1-5]XX|default)$/;
// OpenAPI: header parameters with these names "SHALL be ignored"; they are described elsewhere.
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);
// find-my-way ends a parameter name at characters such as '-' and '.'.
const ROUTE_PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every operation of the document, in document order, with fully converted schemas. */
export function collectOperations(loaded: LoadedDocument, options: CollectOptions): OperationModel[] {
  const { document, file } = loaded;
  const root: unknown = document;
  const paths: unknown = document.paths ?? {};
  if (!isRecord(paths)) throw new GenError(file, ['paths'], 'must be a mapping');
  const securitySchemes = collectSecuritySchemeNames(loaded);
  const documentSecurity = readSecurity(document.security, ['security'], file, securitySchemes) ?? [];

  const operations: OperationModel[] = [];
  const ids = new Map<string, string>();
  for (const [path, rawItem] of Object.entries(paths)) {
    if (!path.startsWith('/')) throw new GenError(file, ['paths', path], "a path must start with '/'");
    const item = followRef<Json>(root, rawItem, ['paths', path], file);
    const itemParameters = readParameterList(loaded, item.value['parameters'], [
      ...item.location,
      'parameters',
    ]);
    for (const [key, rawOperation] of Object.entries(item.value)) {
      const at = [...item.location, key];
      if (UNSUPPORTED_METHODS.has(key)) {
        throw new GenError(
          file,
          at,
          `unsupported method '${key}' (supported: get, post, put, patch, delete)`,
        );
      }
      const method = METHODS[key];
      if (method === undefined) continue;
      if (!isRecord(rawOperation)) throw new GenError(file, at, 'an operation must be a mapping');
      const operation = collectOperation(loaded, options, {
        path,
        method,
        pathItemKey: key,
        operation: rawOperation,
        at,
        itemParameters,
        documentSecurity,
        securitySchemes,
      });
      const previous = ids.get(operation.typeName);
      if (previous !== undefined) {
        throw new GenError(
          file,
          [...at, 'operationId'],
          `duplicate operationId '${operation.operationId}' (also used by ${previous})`,
        );
      }
      ids.set(operation.typeName, `${method} ${path}`);
      operations.push(operation);
    }
  }
  return operations;
}

interface OperationInput {
  readonly path: string;
  readonly method: HttpMethod;
  readonly pathItemKey: string;
  readonly operation: Json;
  readonly at: Location;
  readonly itemParameters: readonly ParameterModel[];
  readonly documentSecurity: readonly SecurityRequirement[];
  readonly securitySchemes: ReadonlySet<string>;
}

function collectOperation(
  loaded: LoadedDocument,
  options: CollectOptions,
  input: OperationInput,
): OperationModel {
  const { file } = loaded;
  const { operation, at, path, method } = input;

  let operationId = operation['operationId'];
  if (operationId === undefined && options.deriveOperationIds) operationId = deriveOperationId(method, path);
  if (operationId === undefined) throw new GenError(file, at, 'missing operationId');
  if (typeof operationId !== 'string') throw new GenError(file, [...at, 'operationId'], 'must be a string');
  const problem = identifierProblem(operationId);
  if (problem !== undefined) {
    throw new GenError(file, [...at, 'operationId'], `'${operationId}' cannot name a handler: ${problem}`);
  }

  const own = readParameterList(loaded, operation['parameters'], [...at, 'parameters']);
  const parameters = [
    ...input.itemParameters.filter(
      (inherited) => !own.some((p) => p.in === inherited.in && p.name === inherited.name),
    ),
    ...own,
  ];
  checkPathParameters(file, path, parameters, at);

  const tags = operation['tags'] ?? [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw new GenError(file, [...at, 'tags'], 'must be a list of strings');
  }

  return {
    operationId,
    typeName: pascalCase(operationId),
    methodName: camelCase(operationId),
    method,
    pathItemKey: input.pathItemKey,
    path,
    url: toFastifyUrl(path),
    tags,
    security:
      readSecurity(operation['security'], [...at, 'security'], file, input.securitySchemes) ??
      input.documentSecurity,
    parameters,
    requestBody: readRequestBody(loaded, operation['requestBody'], [...at, 'requestBody']),
    responses: readResponses(loaded, operation['responses'], [...at, 'responses']),
  };
}

function readParameterList(loaded: LoadedDocument, value: unknown, at: Location): ParameterModel[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GenError(loaded.file, at, 'must be a list');
  const result: ParameterModel[] = [];
  value.forEach((raw, index) => {
    const parameter = readParameter(loaded, raw, [...at, index]);
    if (parameter === undefined) return;
    if (result.some((p) => p.in === parameter.in && p.key === parameter.key)) {
      throw new GenError(
        loaded.file,
        [...at, index],
        `duplicate ${parameter.in} parameter '${parameter.name}'`,
      );
    }
    result.push(parameter);
  });
  return result;
}

function readParameter(loaded: LoadedDocument, raw: unknown, at: Location): ParameterModel | undefined {
  const { file } = loaded;
  const { value: parameter, location } = followRef<Json>(loaded.document, raw, at, file);
  const name = parameter['name'];
  const where = parameter['in'];
  if (typeof name !== 'string' || name === '')
    throw new GenError(file, [...location, 'name'], 'missing parameter name');
  if (where !== 'path' && where !== 'query' && where !== 'header') {
    throw new GenError(
      file,
      [...location, 'in'],
      `unsupported parameter location ${JSON.stringify(where)} for '${name}' (supported: path, query, header)`,
    );
  }
  if (where === 'header' && IGNORED_HEADER_PARAMETERS.has(name.toLowerCase())) return undefined;
  if (parameter['schema'] === undefined) {
    throw new GenError(
      file,
      location,
      `parameter '${name}' has no schema (parameters with 'content' are not supported)`,
    );
  }
  if (where === 'path' && parameter['required'] !== true) {
    throw new GenError(file, [...location, 'required'], `path parameter '${name}' must be required: true`);
  }
  return {
    name,
    key: where === 'header' ? name.toLowerCase() : name,
    in: where,
    required: parameter['required'] === true,
    schema: convert(loaded, parameter['schema'], [...location, 'schema'], 'parameter'),
  };
}

function checkPathParameters(
  file: string,
  path: string,
  parameters: readonly ParameterModel[],
  at: Location,
): void {
  const inTemplate = pathTemplateParams(path);
  for (const name of inTemplate) {
    if (!ROUTE_PARAM_NAME.test(name)) {
      throw new GenError(
        file,
        at,
        `path parameter '{${name}}' must be a plain identifier (letters, digits, _)`,
      );
    }
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      throw new GenError(file, at, `path parameter '{${name}}' is not declared in parameters`);
    }
  }
  for (const parameter of parameters) {
    if (parameter.in === 'path' && !inTemplate.includes(parameter.name)) {
      throw new GenError(
        file,
        at,
        `path parameter '${parameter.name}' does not appear in the path '${path}'`,
      );
    }
  }
}

function convert(loaded: LoadedDocument, schema: unknown, at: Location, use: SchemaUse): JsonSchema {
  return toJsonSchema(derefSchema(loaded.document, schema, at, loaded.file), use, loaded.version);
}

function readContent(loaded: LoadedDocument, value: unknown, at: Location, use: SchemaUse): MediaModel[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw new GenError(loaded.file, at, 'must be a mapping of media types');
  return Object.entries(value).map(([mediaType, media]) => {
    if (!isRecord(media)) throw new GenError(loaded.file, [...at, mediaType], 'must be a media type object');
    // A media type without a schema accepts anything: `{}` is the JSON Schema that says so.
    const schema =
      media['schema'] === undefined
        ? {}
        : convert(loaded, media['schema'], [...at, mediaType, 'schema'], use);
    return { mediaType, schema };
  });
}

function readRequestBody(loaded: LoadedDocument, raw: unknown, at: Location): OperationModel['requestBody'] {
  if (raw === undefined) return undefined;
  const { value: body, location } = followRef<Json>(loaded.document, raw, at, loaded.file);
  const media = readContent(loaded, body['content'], [...location, 'content'], 'request');
  if (media.length === 0)
    throw new GenError(loaded.file, location, 'a request body needs at least one media type');
  return { required: body['required'] === true, media };
}

function readResponses(loaded: LoadedDocument, raw: unknown, at: Location): ResponseModel[] {
  const { file } = loaded;
  if (!isRecord(raw) || Object.keys(raw).length === 0)
    throw new GenError(file, at, 'an operation needs responses');
  return Object.entries(raw).map(([status, rawResponse]): ResponseModel => {
    if (!STATUS.test(status)) {
      throw new GenError(
        file,
        [...at, status],
        `invalid response status '${status}' (e.g. 200, 4XX, default)`,
      );
    }
    const { value: response, location } = followRef<Json>(
      loaded.document,
      rawResponse,
      [...at, status],
      file,
    );
    const headers = response['headers'] ?? {};
    if (!isRecord(headers)) throw new GenError(file, [...location, 'headers'], 'must be a mapping');
    return {
      status,
      media: readContent(loaded, response['content'], [...location, 'content'], 'response'),
      headers: Object.entries(headers)
        // OpenAPI: a response header named Content-Type "SHALL be ignored"; the media type says it.
        .filter(([name]) => name.toLowerCase() !== 'content-type')
        .map(([name, rawHeader]) => {
          const header = followRef<Json>(loaded.document, rawHeader, [...location, 'headers', name], file);
          return { name, required: header.value['required'] === true };
        }),
    };
  });
}

function collectSecuritySchemeNames(loaded: LoadedDocument): Set<string> {
  const schemes: unknown = loaded.document.components?.securitySchemes ?? {};
  return new Set(isRecord(schemes) ? Object.keys(schemes) : []);
}

function readSecurity(
  value: unknown,
  at: Location,
  file: string,
  schemes: ReadonlySet<string>,
): SecurityRequirement[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new GenError(file, at, 'must be a list of security requirements');
  return value.map((requirement, index) => {
    if (!isRecord(requirement))
      throw new GenError(file, [...at, index], 'must be a mapping of scheme -> scopes');
    const result: SecurityRequirement = {};
    for (const [scheme, scopes] of Object.entries(requirement)) {
      if (!schemes.has(scheme)) {
        throw new GenError(
          file,
          [...at, index, scheme],
          `unknown security scheme '${scheme}' (not in components.securitySchemes)`,
        );
      }
      if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
        throw new GenError(file, [...at, index, scheme], 'scopes must be a list of strings');
      }
      result[scheme] = scopes;
    }
    return result;
  });
}
