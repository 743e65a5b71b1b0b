import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessLogController } from './access-log.ts';

const lines: Record<string, unknown>[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  const logger: FastifyBaseLogger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  app = Fastify({ loggerInstance: logger, logController: new AccessLogController() });
  app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/quiet', { logLevel: 'warn' }, async () => ({ ok: true }));
  // The response's socket failing under it: Node emits 'error' on the response.
  app.get('/failing-socket', async (_request, reply) => {
    setImmediate(() => reply.raw.emit('error', new Error('socket failed')));
    return new Promise(() => {});
  });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  lines.length = 0;
});

/** The lines about requests at info and above (what a deployed service writes). */
function requestLines(): Record<string, unknown>[] {
  return lines.filter((line) => typeof line.reqId === 'string' && (line.level as number) >= 30);
}

describe('the access log', () => {
  it('writes one flat line per request, when the response is done', async () => {
    const response = await app.inject({ method: 'GET', url: '/items/42?expand=1' });
    expect(response.statusCode).toBe(200);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        method: 'GET',
        url: '/items/42?expand=1',
        route: '/items/:id',
        statusCode: 200,
        responseTime: expect.any(Number) as number,
        remoteAddress: '127.0.0.1',
      }),
    ]);
  });

  it('writes the arrival of a request at debug level only', async () => {
    await app.inject({ method: 'POST', url: '/items/1' });
    expect(lines.filter((line) => line.msg === 'incoming request')).toEqual([
      expect.objectContaining({ level: 20, method: 'POST', url: '/items/1' }),
    ]);
  });

  it('logs unmatched requests with their status and no route', async () => {
    await app.inject({ method: 'GET', url: '/nowhere' });
    const completed = requestLines().filter((line) => line.msg === 'request completed');
    expect(completed).toEqual([expect.objectContaining({ statusCode: 404, url: '/nowhere' })]);
    expect(completed[0]).not.toHaveProperty('route');
  });

  it('follows a route’s log level: nothing for a route that logs only warnings', async () => {
    await app.inject({ method: 'GET', url: '/quiet' });
    expect(requestLines()).toEqual([]);
  });

  it('logs a response that failed as an error, with the cause', async () => {
    void app.inject({ method: 'GET', url: '/failing-socket' }).catch(() => undefined);
    await expect
      .poll(() => requestLines())
      .toEqual([
        expect.objectContaining({
          level: 50,
          msg: 'request errored',
          route: '/failing-socket',
          err: expect.objectContaining({ message: 'socket failed' }) as unknown,
        }),
      ]);
  });
});
