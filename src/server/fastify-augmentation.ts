// What this server adds to Fastify's request and route types.
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import type { ProblemDialect, ValidationRefusalPolicy } from '../platform/problem-dialect.ts';
import type { ErrorToProblem } from '../platform/problem.ts';
import type { ProblemDialects } from './problem-dialects.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Problem dialects by base path, for requests no route matched. */
    readonly problemDialects: ProblemDialects;
  }
  interface FastifyRequest {
    /** W3C trace id of the active span; empty when tracing is off. */
    readonly traceId: string;
    /**
     * The OAuth client the request's access token was issued to; undefined for anonymous requests.
     * Set by the authentication hook, which runs first, so later hooks (rate limits) can key by it.
     */
    clientId: string | undefined;
    /** The scopes of the request's access token; undefined for anonymous requests. */
    grantedScopes: readonly string[] | undefined;
    /** Why the request's access token was refused, for the 401 challenge; undefined when it was not. */
    authenticationFailure: string | undefined;
  }
  interface FastifyContextConfig {
    /** Set on routes generated from an OpenAPI document. */
    operation?: OperationRoute;
    /** The owning module's problem table. */
    errorToProblem?: ErrorToProblem;
    /** How the owning API words its problems. */
    problemDialect?: ProblemDialect;
    /** The owning API's status and type for schema refusals; the server's default when absent. */
    validationRefusal?: ValidationRefusalPolicy;
  }
}
