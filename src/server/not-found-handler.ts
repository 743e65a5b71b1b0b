import type { FastifyInstance } from 'fastify';
import { problemFor, sendProblem } from './problem-reply.ts';
import type { RouteMatcher } from './route-matcher.ts';

/** 405 with Allow when the path exists under other methods, 404 otherwise; both as problems. */
export function registerNotFoundHandler(app: FastifyInstance, routes: RouteMatcher): void {
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    const allowed = routes.allowedMethods(path);
    if (allowed.length > 0) {
      reply.header('Allow', allowed.join(', '));
      return sendProblem(
        reply,
        problemFor(request, {
          status: 405,
          detail: `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
        }),
      );
    }
    return sendProblem(
      reply,
      problemFor(request, { status: 404, detail: `No route for ${request.method} ${path}.` }),
    );
  });
}
