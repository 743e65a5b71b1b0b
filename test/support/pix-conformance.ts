// Checks a Payment API response against the official Pix API document itself
// (oapi/reference/pix-api-v2.9.0.openapi.yaml): the declared status, the media type and the body
// schema, read by the code generator's own modules as the Profile contract checks are. The document
// has a few defects no correct response can satisfy; PIX_ERRATA lists them, each with the line that
// proves it, and corrects exactly those. Nothing else is relaxed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { decodeJwt } from 'jose';
import { collectOperations, type OperationModel } from '../../scripts/openapi-gen/collect-operations.ts';
import { parseOpenApiDocument } from '../../scripts/openapi-gen/load-document.ts';
import { strictAjv } from '../strict-ajv.ts';
import { Contract, ContractViolationError } from './contract-validator.ts';

export const PIX_DOCUMENT = 'oapi/reference/pix-api-v2.9.0.openapi.yaml';
/** The service serves the document's paths under /v2 (its servers entries end in /api/ instead). */
export const PIX_PATH_PREFIX = '/v2';

type Json = Record<string, unknown>;

export interface PixErratum {
  /** 1-based line of PIX_DOCUMENT that shows the defect. */
  line: number;
  /** Text that line holds (checked by the tests, so the citation cannot drift). */
  quote: string;
  reason: string;
  /** Corrects the parsed document; returns how many places it changed (0 means the defect is gone). */
  apply(document: Json): number;
}

export const PIX_ERRATA: readonly PixErratum[] = [
  {
    line: 8721,
    quote: 'required: ["parametros", "cobs"]',
    reason:
      'PixConsultados (GET /pix) requires `cobs`, a property it does not define; its list is `pix` (the schema conversion drops a required name without a property, so the list would go unchecked). Read as requiring `parametros` and `pix`.',
    apply: (document) => replaceRequired(schema(document, 'PixConsultados'), 'cobs', 'pix'),
  },
  {
    line: 8066,
    quote: '- required: ["status", "txid", "idCob"]',
    reason:
      'CobsConsultadas (GET /cob) items require `idCob`, which no schema defines. Read without `idCob`.',
    apply: (document) => {
      const items = ((schema(document, 'CobsConsultadas')['properties'] as Json)['cobs'] as Json)[
        'items'
      ] as Json;
      return (items['allOf'] as Json[]).reduce((count, member) => count + dropRequired(member, 'idCob'), 0);
    },
  },
  {
    line: 7783,
    quote: 'format: uri',
    reason:
      '`location` is declared `format: uri`, yet the standard has no scheme in it (its own example on the next line is "pix.example.com/qr/v2/..."), so no valid location is a URI. Read as `uri-reference`, which a scheme-less location is.',
    apply: (document) =>
      walk(document, (node, key) =>
        key === 'location' && node['format'] === 'uri' ? ((node['format'] = 'uri-reference'), 1) : 0,
      ),
  },
  {
    line: 963,
    quote: 'pattern: "/^\\\\d{11}$/"',
    reason:
      'The CPF pattern is written with regex delimiters, "/^\\d{11}$/", which no string of digits matches. Read as ^\\d{11}$.',
    apply: (document) =>
      walk(document, (node) =>
        node['pattern'] === '/^\\d{11}$/' ? ((node['pattern'] = '^\\d{11}$'), 1) : 0,
      ),
  },
  {
    line: 5179,
    quote: 'required: ["webhookUrl", "cnpj", "criacao"]',
    reason:
      "WebhookCompleto (GET /webhook/{chave}) requires `cnpj`, yet the document's own example (webhookResponse1) carries `chave` and no `cnpj`. Read without `cnpj`.",
    apply: (document) => dropRequired(schema(document, 'WebhookCompleto'), 'cnpj'),
  },
];

/** A response as the service gave it; the body parsed (JSON) or as text (a JWS for application/jose). */
export interface PixResponse {
  method: string;
  /** The document's template (`/cob/{txid}`), or the service's (`/v2/cob/{txid}`), or a concrete path. */
  path: string;
  status: number;
  contentType?: string;
  body?: unknown;
}

export class PixConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PixConformanceError';
  }
}

export class PixConformance {
  readonly #contract: Contract;
  readonly #ajv = strictAjv({
    allErrors: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictRequired: false,
  });
  readonly #joseValidators = new Map<string, ValidateFunction>();

  constructor(operations: readonly OperationModel[]) {
    this.#contract = new Contract(PIX_DOCUMENT, operations);
  }

  /** The document's operation for `GET /v2/cob/{txid}`, `GET /cob/{txid}` or `GET /v2/cob/abc...`. */
  operation(method: string, servicePath: string): OperationModel {
    const documentPath = servicePath.startsWith(`${PIX_PATH_PREFIX}/`)
      ? servicePath.slice(PIX_PATH_PREFIX.length)
      : servicePath;
    const found =
      this.#contract
        .operations()
        .find((each) => each.method === method.toUpperCase() && each.path === documentPath) ??
      this.#contract.operationFor(method, documentPath);
    if (!found)
      throw new PixConformanceError(
        `${PIX_DOCUMENT} has no operation ${method.toUpperCase()} ${documentPath}`,
      );
    return found;
  }

  /** Throws PixConformanceError naming the operation, the rule broken and the response. */
  check(response: PixResponse): void {
    const operation = this.operation(response.method, response.path);
    const text =
      response.body === undefined
        ? ''
        : typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body);
    const headers = response.contentType === undefined ? {} : { 'content-type': response.contentType };
    try {
      this.#contract.check(operation, { statusCode: response.status, headers, body: text });
    } catch (error) {
      if (error instanceof ContractViolationError)
        throw new PixConformanceError(`${PIX_DOCUMENT}: ${error.message}`);
      throw error;
    }
    const mediaType = response.contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType === 'application/jose') this.#checkJose(operation, response.status, text);
  }

  /** application/jose carries a JWS; what the schema describes is its payload. */
  #checkJose(operation: OperationModel, status: number, jws: string): void {
    const name = `${operation.operationId} (${operation.method} ${operation.path}) answered ${status}`;
    const declared = operation.responses.find((each) => each.status === String(status));
    const media = declared?.media.find((each) => each.mediaType === 'application/jose');
    if (!media) return;
    let payload: unknown;
    try {
      payload = decodeJwt(jws);
    } catch {
      throw new PixConformanceError(
        `${PIX_DOCUMENT}: ${name}: the application/jose body is not a compact JWS of a JSON object`,
      );
    }
    const key = `${operation.operationId} ${status}`;
    let validate = this.#joseValidators.get(key);
    if (!validate) {
      validate = this.#ajv.compile(media.schema);
      this.#joseValidators.set(key, validate);
    }
    if (!validate(payload)) {
      const reasons = (validate.errors ?? []).map(
        (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
      );
      throw new PixConformanceError(
        `${PIX_DOCUMENT}: ${name}: the JWS payload does not match the schema: ${reasons.join('; ')}\n${JSON.stringify(payload)}`,
      );
    }
  }
}

let loaded: PixConformance | undefined;

/** The document with PIX_ERRATA applied (each must still find its defect), parsed once per process. */
export function pixConformance(): PixConformance {
  loaded ??= buildPixConformance(PIX_ERRATA);
  return loaded;
}

/** The document with the given errata applied; the tests use it to show each erratum is needed. */
export function buildPixConformance(errata: readonly PixErratum[]): PixConformance {
  const text = readFileSync(path.resolve(import.meta.dirname, '../..', PIX_DOCUMENT), 'utf8');
  const document = parseOpenApiDocument(text, PIX_DOCUMENT);
  for (const erratum of errata) {
    if (erratum.apply(document.document as unknown as Json) === 0) {
      throw new Error(
        `${PIX_DOCUMENT}:${erratum.line} no longer shows the defect this erratum corrects: ${erratum.reason}`,
      );
    }
  }
  return new PixConformance(collectOperations(document, { deriveOperationIds: true }));
}

/** Fails the test unless the response is one the official Pix API document allows. */
export function expectPixConformant(response: PixResponse): void {
  pixConformance().check(response);
}

function schema(document: Json, name: string): Json {
  const found = ((document['components'] as Json)['schemas'] as Json)[name];
  if (typeof found !== 'object' || found === null) throw new Error(`${PIX_DOCUMENT} has no schema ${name}`);
  return found as Json;
}

function replaceRequired(node: Json, from: string, to: string): number {
  const required = node['required'];
  if (!Array.isArray(required) || !required.includes(from)) return 0;
  node['required'] = required.map((name: unknown) => (name === from ? to : name));
  return 1;
}

function dropRequired(node: Json, name: string): number {
  const required = node['required'];
  if (!Array.isArray(required) || !required.includes(name)) return 0;
  node['required'] = required.filter((each: unknown) => each !== name);
  return 1;
}

/** Visits every object of the document with the key it sits under; sums what `visit` returns. */
function walk(value: unknown, visit: (node: Json, key: string | undefined) => number, key?: string): number {
  if (Array.isArray(value)) return value.reduce((count: number, item) => count + walk(item, visit), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let count = visit(value as Json, key);
  for (const [childKey, child] of Object.entries(value)) count += walk(child, visit, childKey);
  return count;
}
