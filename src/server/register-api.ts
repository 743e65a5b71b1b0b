// Mounts one generated API on Fastify: each operation of the route table becomes a route whose
// schemas come from the contract, whose handler is the module's typed handler, and whose errors are
// translated by the module's problem table.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import type { ProblemDialect, ValidationRefusalPolicy } from '../platform/problem-dialect.ts';
import type { ErrorToProblem } from '../platform/problem.ts';
import type { RequestContext } from '../platform/request-context.ts';
import { mediaTypeGuard } from './media-type-guard.ts';
import { securityGuard } from './security-guard.ts';
import type { RouteMatcher } from './route-matcher.ts';

/** The shape every generated response union conforms to. */
interface OperationResponse {
  status: number;
  headers?: Record<string, string | number | readonly string[] | undefined>;
  contentType?: string;
  body?: unknown;
}

type OperationHandler = (request: unknown, context: RequestContext) => Promise<OperationResponse>;

export interface ApiRegistration {
  /** For logs and errors only. */
  name: string;
  operations: readonly OperationRoute[];
  /** An implementation of the API's generated `<Name>Handlers<RequestContext>` interface. */
  handlers: object;
  errorToProblem: ErrorToProblem;
  /**
   * How this API words every problem on its routes, including those the server raises before the
   * handler (validation, 401/403, 406/415, 413, 429, 503, 500); RFC 9457 when absent.
   */
  problemDialect?: ProblemDialect;
  /**
   * The status and type of a schema refusal, per operation and request part (the dialect's
   * choice: the Pix API answers 400 with the operation's own error type); when absent or undefined,
   * 422 for a body and 400 for parameters.
   */
  validationRefusal?: ValidationRefusalPolicy;
  /**
   * Path prefixes (`/v2`) whose unmatched requests (404, 405) are answered in this API's dialect;
   * the longest prefix among all APIs wins.
   */
  problemBasePaths?: readonly string[];
}

export function registerApi(app: FastifyInstance, api: ApiRegistration, routes: RouteMatcher): void {
  for (const operation of api.operations) {
    const handler = (api.handlers as Record<string, unknown>)[operation.operationId];
    if (typeof handler !== 'function') {
      throw new Error(`API ${api.name}: no handler for operation ${operation.operationId}`);
    }
    const invoke = (handler as OperationHandler).bind(api.handlers);
    routes.add(operation.method, operation.path);

    app.route({
      method: operation.method,
      url: operation.url,
      schema: operation.schema,
      config: {
        operation,
        errorToProblem: api.errorToProblem,
        ...(api.problemDialect ? { problemDialect: api.problemDialect } : {}),
        ...(api.validationRefusal ? { validationRefusal: api.validationRefusal } : {}),
      },
      // Authorization first: an unauthenticated caller learns nothing about media types or bodies.
      onRequest: [securityGuard(operation), mediaTypeGuard(operation)],
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const response = await invoke(
          {
            params: request.params,
            query: request.query,
            headers: request.headers,
            body: request.body,
            contentType: mediaTypeOf(request.headers['content-type']),
          },
          { requestId: request.id, traceId: request.traceId, clientId: request.clientId },
        );
        return sendOperationResponse(operation, response, reply);
      },
    });
  }
}

function sendOperationResponse(operation: OperationRoute, response: OperationResponse, reply: FastifyReply) {
  const declared = operation.responses[String(response.status)];
  if (!declared) {
    // Unreachable for type-checked handlers; a guard against `any` slipping an undeclared status out.
    throw new Error(
      `${operation.operationId} returned status ${response.status}, which the contract does not declare`,
    );
  }
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value !== undefined) reply.header(name, value);
  }
  if (response.body === undefined) return reply.send();
  const contentType = response.contentType ?? declared.contentTypes[0];
  if (contentType) reply.type(contentType);
  return reply.send(response.body);
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}
