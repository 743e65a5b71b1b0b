// Liveness and readiness for orchestrators. Liveness says the process serves requests; readiness
// says its dependencies answer, so a load balancer stops sending traffic while they do not.
import type { FastifyInstance } from 'fastify';
import type { DatabaseHealth } from '../db/connection-pool.ts';
import { problemType } from '../platform/problem.ts';
import { problemFor, sendProblem } from './problem-reply.ts';
import type { RouteMatcher } from './route-matcher.ts';

export interface ReadinessCheck {
  /** Resolves the database's health; never rejects. */
  database(): Promise<DatabaseHealth>;
  /**
   * True: while the writer answers, readers that do not leave the service ready ("degraded"), as
   * their reads go to the writer. False: every endpoint must answer.
   */
  readersOptional?: boolean;
  /** Told how many readers each check found down (the replicas-unavailable metric). */
  readersChecked?: (unavailable: number) => void;
  /**
   * The migrations the database still lacks (file names); while there are any the service is not
   * ready, as its queries would fail. Absent: not checked (the service migrated at start).
   */
  pendingMigrations?: () => Promise<readonly string[]>;
}

const endpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role', 'ok'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string' },
    ok: { type: 'boolean' },
    latencyMs: { type: 'number' },
  },
} as const;

export function registerHealthRoutes(
  app: FastifyInstance,
  readiness: ReadinessCheck,
  routes: RouteMatcher,
): void {
  routes.add('GET', '/healthz');
  routes.add('GET', '/readyz');

  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'checks'],
            properties: {
              status: { type: 'string', enum: ['ready', 'degraded'] },
              checks: { type: 'array', items: endpointSchema },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const health = await readiness.database();
      // Endpoint names only: hosts and driver messages stay in the logs.
      const checks = health.endpoints.map(({ name, role, ok, latencyMs }) =>
        latencyMs === undefined ? { name, role, ok } : { name, role, ok, latencyMs },
      );
      const writerUp = health.endpoints.some((endpoint) => endpoint.role === 'writer' && endpoint.ok);
      // Only a writer that answers can say what it lacks; one that does not is reported as such below.
      const pending = writerUp ? await pendingMigrationsOf(readiness) : [];
      if (pending.length > 0) {
        request.log.warn({ pending }, 'not ready: migrations pending');
        reply.header('Retry-After', 5);
        return sendProblem(
          reply,
          problemFor(request, {
            status: 503,
            type: problemType('not-ready'),
            title: 'Not ready',
            detail: `Migrations pending: ${pending.join(', ')}.`,
          }),
        );
      }
      const down = health.endpoints.filter((endpoint) => !endpoint.ok);
      readiness.readersChecked?.(down.filter((endpoint) => endpoint.role === 'reader').length);
      if (health.ok) return { status: 'ready' as const, checks };
      if (readiness.readersOptional === true && down.every((endpoint) => endpoint.role === 'reader')) {
        request.log.warn({ endpoints: health.endpoints }, 'ready, degraded: reads go to the writer');
        return { status: 'degraded' as const, checks };
      }
      request.log.warn({ endpoints: health.endpoints }, 'not ready');
      reply.header('Retry-After', 5);
      return sendProblem(
        reply,
        problemFor(request, {
          status: 503,
          type: problemType('not-ready'),
          title: 'Not ready',
          detail: `Unreachable: ${down.map((endpoint) => endpoint.name).join(', ')}.`,
        }),
      );
    },
  );
}

/** Pending migration file names; a check that fails (the writer went away meanwhile) counts as unknown. */
async function pendingMigrationsOf(readiness: ReadinessCheck): Promise<readonly string[]> {
  if (!readiness.pendingMigrations) return [];
  try {
    return await readiness.pendingMigrations();
  } catch {
    return ['(could not be checked)'];
  }
}
