// A small hand-written API in the generated route-table shape, for testing the server assembly on
// its own. Real APIs come from `npm run gen`.
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import type { ApiRegistration } from '../../src/server/register-api.ts';
import { DomainError } from '../../src/platform/domain-error.ts';
import type { ProblemDialect } from '../../src/platform/problem-dialect.ts';

const problem = {
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          requestId: { type: 'string' },
          traceId: { type: 'string' },
          invalidParams: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, reason: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

const note = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'text'],
  properties: {
    id: { type: 'string' },
    text: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
  },
} as const;

const noteInput = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: 20 }, priority: { type: 'integer' } },
} as const;

const problemResponses = { contentTypes: ['application/problem+json'], headers: [] };

export const sampleOperations: readonly OperationRoute[] = [
  {
    operationId: 'getNote',
    method: 'GET',
    path: '/v1/notes/{id}',
    url: '/v1/notes/:id',
    tags: [],
    security: [],
    requestContentTypes: [],
    requestBodyRequired: false,
    responses: { '200': { contentTypes: ['application/json'], headers: ['ETag'] }, '404': problemResponses },
    schema: {
      params: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,36}$' } },
      },
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          verbose: { type: 'boolean' },
          limit: { type: 'integer', minimum: 1, maximum: 10, default: 5 },
        },
      },
      response: { '200': { content: { 'application/json': { schema: note } } }, '404': problem },
    },
  },
  {
    operationId: 'createNote',
    method: 'POST',
    path: '/v1/notes',
    url: '/v1/notes',
    tags: [],
    security: [],
    requestContentTypes: ['application/json'],
    requestBodyRequired: true,
    responses: { '201': { contentTypes: ['application/json'], headers: [] }, '400': problemResponses },
    schema: {
      body: { content: { 'application/json': { schema: noteInput } } },
      response: { '201': { content: { 'application/json': { schema: note } } }, '400': problem },
    },
  },
  {
    operationId: 'patchNote',
    method: 'PATCH',
    path: '/v1/notes/{id}',
    url: '/v1/notes/:id',
    tags: [],
    security: [],
    requestContentTypes: ['application/merge-patch+json', 'application/json'],
    requestBodyRequired: true,
    responses: { '200': { contentTypes: ['application/json'], headers: [] } },
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      body: {
        content: {
          'application/merge-patch+json': { schema: noteInput },
          'application/json': { schema: noteInput },
        },
      },
      response: { '200': { content: { 'application/json': { schema: note } } } },
    },
  },
];

export class NoteNotFoundError extends DomainError {
  readonly code = 'note.not_found';
}

export interface SampleRequest {
  params: { id?: string };
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
  contentType?: string;
}

/** Handlers whose behaviour each test steers through the note id. */
export const sampleHandlers = {
  async getNote(request: SampleRequest) {
    const id = request.params.id ?? '';
    if (id === 'missing') throw new NoteNotFoundError(`note ${id} not found`);
    if (id === 'crash') throw new Error('relation "secret_table" does not exist: SELECT password FROM users');
    if (id === 'undeclared') return { status: 418 };
    // A library's client error: its status may pass, its words (which name internals) may not.
    if (id === 'foreign-client-error') {
      throw Object.assign(new Error('upstream said: password authentication failed for "admin"'), {
        statusCode: 409,
      });
    }
    return {
      status: 200,
      headers: { ETag: '"1"' },
      body: { id, text: `limit=${String(request.query.limit)}`, leaked: 'must not be serialized' },
    };
  },
  async createNote(request: SampleRequest) {
    return { status: 201, body: { id: 'n1', ...(request.body as object) } };
  },
  async patchNote(request: SampleRequest) {
    return { status: 200, body: { id: request.params.id, text: request.contentType } };
  },
};

export const sampleApi: ApiRegistration = {
  name: 'sample',
  operations: sampleOperations,
  handlers: sampleHandlers,
  errorToProblem: (error) =>
    error instanceof NoteNotFoundError
      ? { type: '/problems/note-not-found', title: 'Note not found', status: 404, detail: error.message }
      : undefined,
};

/** A test dialect unlike RFC 9457's wording, so a response shows which dialect answered it. */
export const sampleDialect: ProblemDialect = (problem) => ({
  type: `https://errors.example.test/${problem.kind}`,
  title: problem.title,
  status: problem.status,
  ...(problem.detail === undefined ? {} : { detail: problem.detail }),
  correlationId: problem.requestId,
  ...(problem.invalidParams
    ? { violations: problem.invalidParams.map((param) => ({ field: param.name, reason: param.reason })) }
    : {}),
});

/**
 * The sample API again under /v2, secured by the `notes.write` scope and answering in
 * `sampleDialect`; its success responses keep their schemas, its problem responses declare none so
 * the dialect's body is sent as it is.
 */
export const dialectSampleApi: ApiRegistration = {
  ...sampleApi,
  name: 'sample-dialect',
  operations: sampleOperations.map((operation) => ({
    ...operation,
    path: operation.path.replace('/v1/', '/v2/'),
    url: operation.url.replace('/v1/', '/v2/'),
    security: [{ oauth2: ['notes.write'] }],
    schema: {
      ...operation.schema,
      response: Object.fromEntries(
        Object.entries(operation.schema.response ?? {}).filter(([status]) => status.startsWith('2')),
      ),
    },
  })),
  problemDialect: sampleDialect,
  problemBasePaths: ['/v2', '/qr/v2'],
};
