// The docs check compares a fresh run with the document after replacing what differs on every run;
// anything else that differs must still fail it.
import { describe, expect, it } from 'vitest';
import { normalized, renderResponse } from './render.ts';

const run = (id: string, time: string, trace: string, remaining: number) =>
  renderResponse(
    {
      status: 201,
      statusText: 'Created',
      headers: [
        ['x-request-id', id],
        ['location', `/v1/profiles/${id}`],
        ['x-ratelimit-remaining', String(remaining)],
        ['ratelimit', `"default";r=${remaining};t=59`],
        ['date', 'Thu, 03 Dec 2026 12:00:00 GMT'],
        ['content-type', 'application/json; charset=utf-8'],
      ],
      body: JSON.stringify({
        data: {
          id,
          createdAt: time,
          cursor: 'eyJrIjoicHJvZmlsZXMifQ.0IKqgqixzFDLe6F63jfcBbbYbuyOtmvYYuytDzGRzUg',
        },
        meta: { requestId: id, traceId: trace },
      }),
    },
    ['date'],
  );

describe('transcript normalization', () => {
  const first = run(
    '01a20dc6-1b2f-7339-93ee-9e610f110cc3',
    '2026-11-24T13:36:56.626Z',
    'b99998149f4c4007252c4e076c1ecfac',
    98,
  );
  const second = run(
    '01a23be4-5899-76c2-8615-d1a0468a8893',
    '2026-12-03T12:32:30.001Z',
    '0f9f5316d23b3bc8bf9750c4037a5add',
    97,
  );

  it('makes two runs of the same exchange equal', () => {
    expect(first).not.toBe(second);
    expect(normalized(first)).toBe(normalized(second));
    expect(first).not.toContain('date:');
  });

  it('keeps every other difference: a header, a status, a message', () => {
    expect(normalized(first.replace('201 Created', '200 OK'))).not.toBe(normalized(second));
    expect(normalized(first.replace('location', 'content-location'))).not.toBe(normalized(second));
    expect(normalized(first.replace('"traceId"', '"traceID"'))).not.toBe(normalized(second));
  });
});
