import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { throttledWarning } from './throttled-warning.ts';

describe('throttledWarning', () => {
  it('logs once per interval and says how many failures it folded in', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let now = 0;
    const warn = throttledWarning(logger, 'store failed', 1000, () => now);
    warn(new Error('one'));
    now = 500;
    warn(new Error('two'));
    warn(new Error('three'));
    now = 1000;
    warn(new Error('four'));
    expect(
      lines.map((line) => [line.msg, line.suppressed, (line.err as { message: string }).message]),
    ).toEqual([
      ['store failed', 0, 'one'],
      ['store failed', 2, 'four'],
    ]);
  });
});
