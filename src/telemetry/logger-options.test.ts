import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger-options.ts';

function capture(mixin?: () => Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(loggerOptions({ level: 'info', serviceName: 'svc', mixin }), sink), lines };
}

describe('the service logger', () => {
  it('never writes passwords, secrets, tokens or credentials headers', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        config: { hmacSecret: 'h1', password: 'p2' },
        req: { headers: { authorization: 'Bearer t1', cookie: 'c1', 'x-api-key': 'k1', accept: 'json' } },
        token: 't2',
      },
      'with secrets',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['p1', 'p2', 'h1', 't1', 't2', 'c1', 'k1'])
      expect(text).not.toContain(`"${secret}"`);
    expect(lines[0]).toMatchObject({
      service: 'svc',
      msg: 'with secrets',
      req: { headers: { accept: 'json' } },
    });
  });

  it('adds the mixin fields (trace ids) to every line when given one', () => {
    const { logger, lines } = capture(() => ({ trace_id: 'abc', span_id: 'def' }));
    logger.info('one');
    logger.warn({ extra: 1 }, 'two');
    expect(lines.map((line) => [line.trace_id, line.span_id])).toEqual([
      ['abc', 'def'],
      ['abc', 'def'],
    ]);
  });
});
