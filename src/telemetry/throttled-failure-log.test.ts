import { describe, expect, it } from 'vitest';
import { FAILURE_MESSAGE, throttledFailureLog } from './throttled-failure-log.ts';

describe('throttledFailureLog', () => {
  it('logs the first failure at once, then one line per interval counting the ones left out', () => {
    let now = 0;
    const lines: { fields: object; message: string }[] = [];
    const report = throttledFailureLog(
      (fields, message) => lines.push({ fields, message }),
      1_000,
      () => now,
    );

    report(new Error('first'));
    now = 500;
    report(new Error('second'));
    report(new Error('third'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({ fields: { err: new Error('first') }, message: FAILURE_MESSAGE });

    now = 1_000;
    report(new Error('fourth'));
    expect(lines).toHaveLength(2);
    expect(lines[1]?.fields).toEqual({ err: new Error('fourth'), suppressed: 2 });

    now = 5_000;
    report(new Error('fifth'));
    expect(lines[2]?.fields).toEqual({ err: new Error('fifth') });
  });
});
