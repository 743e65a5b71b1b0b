// The service logger never writes credentials: neither what a request carries nor secrets in objects
// that code logs.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/telemetry/logger-options.ts';
import { buildHardenedServer } from './hardened-server.ts';

const output: string[] = [];
const logger = pino(loggerOptions({ level: 'trace', serviceName: 'redaction-test' }), {
  write: (line: string) => void output.push(line),
});
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildHardenedServer({ LOAD_SHEDDING_ENABLED: 'false' }, { logger });
});
afterAll(() => app.close());

describe('log redaction', () => {
  it('keeps the bearer token and cookies of a logged request out of every line', async () => {
    output.length = 0;
    for (const url of ['/v1/notes/a', '/v1/notes/crash', '/nowhere']) {
      await app.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer xyz', cookie: 'session=xyzcookie' },
      });
    }
    // What a handler or hook would log about the request it serves.
    logger.info({
      req: { method: 'GET', headers: { authorization: 'Bearer xyz', cookie: 'session=xyzcookie' } },
    });
    logger.info({ res: { headers: { 'set-cookie': 'session=xyzcookie' } } });
    expect(output.length).toBeGreaterThan(5);
    expect(output.some((line) => line.includes('request failed'))).toBe(true);
    for (const line of output) expect(line).not.toContain('xyz');
  });

  it('censors fields named like secrets, passwords and tokens', () => {
    output.length = 0;
    logger.info({
      clientSecret: 'cs1',
      oauth: { client_secret: 'cs2', access_token: 'at1', refresh_token: 'rt1' },
      db: { password: 'pw1' },
      apiKey: 'ak1',
    });
    const [line] = output;
    for (const secret of ['cs1', 'cs2', 'at1', 'rt1', 'pw1', 'ak1']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });
});
