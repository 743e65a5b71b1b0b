import { generatedHeader } from './generated-header.ts';
import { ALL_STATUS_CODES_TYPE, STATUS_CLASSES } from './http-status-codes.ts';

export const OPERATION_ROUTE_FILE = 'operation-route.gen.ts';

/** The types every generated `server.gen.ts` shares: written once, to api/operation-route.gen.ts. */
export function emitOperationRoute(configFile: string): string {
  return `${generatedHeader(configFile)}
// The route table's shape: what the server hands to Fastify for each generated operation.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Plain JSON Schema (draft-07), ready for ajv 8 and fast-json-stringify. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export interface MediaTypeSchemas {
  readonly content: { readonly [mediaType: string]: { readonly schema: JsonSchema } };
}

export interface OperationRoute {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI template: /v1/profiles/{id} */
  readonly path: string;
  /** Fastify syntax: /v1/profiles/:id */
  readonly url: string;
  readonly tags: readonly string[];
  /** Effective security requirements: the operation's own, else the document's; [] means open. */
  readonly security: readonly { readonly [scheme: string]: readonly string[] }[];
  /** [] when there is no request body. */
  readonly requestContentTypes: readonly string[];
  readonly requestBodyRequired: boolean;
  readonly responses: {
    readonly [status: string]: { readonly contentTypes: readonly string[]; readonly headers: readonly string[] };
  };
  /** Ready for Fastify's route \`schema\` option. */
  readonly schema: {
    /** Object schema, all path params required. */
    readonly params?: JsonSchema;
    /** Object schema, additionalProperties: false (unknown query parameters are rejected). */
    readonly querystring?: JsonSchema;
    /** Object schema with lower-cased names, additional headers allowed. */
    readonly headers?: JsonSchema;
    readonly body?: MediaTypeSchemas;
    /** Per media type; a status without content is left out (Fastify then sends its payload as is). */
    readonly response: { readonly [status: string]: MediaTypeSchemas | JsonSchema };
  };
}

/** A security scheme as plain data, descriptions left out. */
export interface SecurityScheme {
  readonly type: 'apiKey' | 'http' | 'mutualTLS' | 'oauth2' | 'openIdConnect';
  readonly scheme?: string;
  readonly bearerFormat?: string;
  readonly name?: string;
  readonly in?: string;
  readonly openIdConnectUrl?: string;
  readonly flows?: {
    readonly [flow: string]: {
      readonly authorizationUrl?: string;
      readonly tokenUrl?: string;
      readonly refreshUrl?: string;
      readonly scopes: { readonly [scope: string]: string };
    };
  };
}

/**
 * The registered HTTP status codes. A \`default\` or \`4XX\` response in a spec becomes the codes of these
 * lists that the operation does not declare on their own, so a handler's status stays checkable.
 */
${STATUS_CLASSES.map((c) => `export type ${c.typeName} = ${c.codes.join(' | ')};`).join('\n')}
export type ${ALL_STATUS_CODES_TYPE} = ${STATUS_CLASSES.map((c) => c.typeName).join(' | ')};
`;
}
