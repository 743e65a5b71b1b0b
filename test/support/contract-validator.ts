// Checks HTTP responses against an OpenAPI document: declared status, required headers, media type,
// body schema, and no body where none is declared. The document is read and converted by the code
// generator's own modules, so a response is judged by the very schemas the server is built from.
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import {
  collectOperations,
  type OperationModel,
  type ResponseModel,
} from '../../scripts/openapi-gen/collect-operations.ts';
import { loadDocument } from '../../scripts/openapi-gen/load-document.ts';
import { strictAjv } from '../strict-ajv.ts';

/** What a response must offer to be checked: light-my-request's `inject` result fits. */
export interface ContractResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** A response the contract does not allow. The message says which rule, and shows the response. */
export class ContractViolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolationError';
  }
}

const REPOSITORY = path.resolve(import.meta.dirname, '../..');

export class Contract {
  readonly file: string;
  readonly #operations: readonly OperationModel[];
  // Strict about keywords and formats, so a schema the validator would misread fails loudly. Not
  // about authoring style: documents such as the Pix reference put `required` in allOf members apart
  // from the `type` and `properties` it refers to, valid JSON Schema that strictTypes and
  // strictRequired flag.
  readonly #ajv = strictAjv({
    allErrors: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictRequired: false,
  });
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(file: string, operations: readonly OperationModel[]) {
    this.file = file;
    this.#operations = operations;
  }

  /** Reads a document (a path relative to the repository, such as `oapi/profile.yaml`); cached. */
  static load(file: string): Promise<Contract> {
    let loading = loaded.get(file);
    if (loading === undefined) {
      loading = loadContract(file);
      loaded.set(file, loading);
    }
    return loading;
  }

  /** Every operation of the document, in document order. */
  operations(): readonly OperationModel[] {
    return this.#operations;
  }

  /** The operation named by operationId, or by `METHOD /path/{template}`; throws when there is none. */
  operation(reference: string): OperationModel {
    const [method, template] = reference.split(' ');
    const found = this.#operations.find((operation) =>
      template === undefined
        ? operation.operationId === reference
        : operation.method === method?.toUpperCase() && operation.path === template,
    );
    if (!found) throw new ContractViolationError(`${this.file} has no operation ${reference}`);
    return found;
  }

  /** The operation a concrete request (`GET /v1/profiles/0190...?x=1`) addresses, if any. */
  operationFor(method: string, url: string): OperationModel | undefined {
    const pathOnly = url.split('?')[0] ?? url;
    // A literal segment beats a template parameter, as in any router: /a/search before /a/{id}.
    return this.#operations
      .filter(
        (operation) =>
          operation.method === method.toUpperCase() && templatePattern(operation.path).test(pathOnly),
      )
      .sort((a, b) => literalSegments(b.path) - literalSegments(a.path))[0];
  }

  /** Throws ContractViolationError unless the operation declares this response exactly. */
  check(reference: string | OperationModel, response: ContractResponse): void {
    const operation = typeof reference === 'string' ? this.operation(reference) : reference;
    const name = `${operation.operationId} (${operation.method} ${operation.path})`;
    const fail = (rule: string): never => {
      throw new ContractViolationError(
        `${name} answered ${response.statusCode}: ${rule}\n${describe(response)}`,
      );
    };

    const declared = declaredResponse(operation, response.statusCode);
    if (!declared) {
      const statuses = operation.responses.map((each) => each.status).join(', ');
      return fail(`status ${response.statusCode} is not declared (declared: ${statuses})`);
    }
    for (const header of declared.headers) {
      if (header.required && headerValue(response, header.name) === undefined) {
        fail(`required header ${header.name} is missing`);
      }
    }

    const hasBody = response.body.length > 0;
    if (declared.media.length === 0) {
      if (hasBody) fail(`status ${declared.status} declares no content, yet the response has a body`);
      return;
    }
    if (!hasBody) {
      return fail(
        `status ${declared.status} declares content (${mediaTypes(declared)}), yet the body is empty`,
      );
    }
    const contentType = headerValue(response, 'content-type');
    if (contentType === undefined) return fail('the response has a body but no Content-Type');
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const media = declared.media.find((each) => mediaTypeMatches(each.mediaType, mediaType));
    if (!media) return fail(`Content-Type ${mediaType} is not declared (declared: ${mediaTypes(declared)})`);
    if (!isJson(mediaType)) return;

    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return fail(`the body is not valid JSON although the Content-Type is ${mediaType}`);
    }
    const validate = this.#validator(operation, declared, media.mediaType, media.schema);
    if (!validate(body)) {
      const reasons = (validate.errors ?? []).map(
        (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
      );
      fail(`the body does not match the ${media.mediaType} schema: ${reasons.join('; ')}`);
    }
  }

  #validator(
    operation: OperationModel,
    declared: ResponseModel,
    mediaType: string,
    schema: object,
  ): ValidateFunction {
    const key = `${operation.operationId} ${declared.status} ${mediaType}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#validators.set(key, validate);
    }
    return validate;
  }
}

const loaded = new Map<string, Promise<Contract>>();

async function loadContract(file: string): Promise<Contract> {
  const document = await loadDocument(path.resolve(REPOSITORY, file), file);
  // Reference documents we do not own name no operations; the generator derives ids for them alike.
  return new Contract(file, collectOperations(document, { deriveOperationIds: true }));
}

/**
 * Checks the response (or the promise of one, such as `app.inject(...)`) against an operation of
 * a document and returns it:
 *
 *   const response = await expectContractResponse('oapi/profile.yaml', 'getProfile', app.inject(...));
 */
export async function expectContractResponse<Response extends ContractResponse>(
  file: string,
  operation: string,
  response: Response | PromiseLike<Response>,
): Promise<Response> {
  const [contract, settled] = await Promise.all([Contract.load(file), response]);
  contract.check(operation, settled);
  return settled;
}

/** An exact status first, then its class (`4XX`), then `default`, as OpenAPI ranks them. */
function declaredResponse(operation: OperationModel, status: number): ResponseModel | undefined {
  const code = String(status);
  return (
    operation.responses.find((each) => each.status === code) ??
    operation.responses.find((each) => each.status === `${code[0]}XX`) ??
    operation.responses.find((each) => each.status === 'default')
  );
}

function headerValue(response: ContractResponse, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === wanted && value !== undefined)
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

/** `application/json` matches itself; `application/*` and `*\/*` match what they cover. */
function mediaTypeMatches(declared: string, actual: string): boolean {
  const pattern = declared.split(';')[0]!.trim().toLowerCase();
  if (pattern === '*/*' || pattern === actual) return true;
  return pattern.endsWith('/*') && actual.startsWith(pattern.slice(0, -1));
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function mediaTypes(declared: ResponseModel): string {
  return declared.media.map((media) => media.mediaType).join(', ');
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

function literalSegments(template: string): number {
  return template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length;
}

function describe(response: ContractResponse): string {
  const headers = Object.entries(response.headers)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('\n');
  const body = response.body.length > 2000 ? `${response.body.slice(0, 2000)}...` : response.body;
  return `${headers}\n\n${body}`;
}
