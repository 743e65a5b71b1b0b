import { describe, expect, it } from 'vitest';
import { normalizedWalkthrough } from './payment-walkthrough-normalized.ts';

/** One walk-through excerpt as two runs print it: every value a run draws differs. */
function excerpt(run: {
  time: string;
  token: string;
  crc: string;
  e2eid: string;
  kid: string;
  n: string;
  jws: string;
  status: string;
}): string {
  return [
    `"criacao": "${run.time}",`,
    `"location": "pix.example.com/qr/v2/${run.token}",`,
    `"pixCopiaECola": "00020101021226760014br.gov.bcb.pix2554pix.example.com/qr/v2/${run.token}6304${run.crc}"`,
    `{ "id": "63",\n  "value": "${run.crc}" }`,
    `GET /v2/pix/${run.e2eid}`,
    `"kid": "${run.kid}", "n": "${run.n}"`,
    run.jws,
    `"status": "${run.status}"`,
    'GET /qr/v2/jwks.json',
  ].join('\n');
}

const FIRST = {
  time: '2026-12-03T15:23:58.111Z',
  token: 'kVhCjNdR54hhvPraPrtbqkIpqfemQsWw',
  crc: 'D61D',
  e2eid: 'E99999999202612031523abcdefghijk',
  kid: 'KZ7zEa1C5JfO7RM3M7URrY135DJ7tmivbO8HkqQibDk',
  n: 'uVJdRUYDbIDsHqegoZrqPxU3hgs6yuuV1P9LQz0Bhvr2-OsnJZJZ_OzbCBDSmy7y',
  jws: 'eyJhbGciOiJSUzI1NiJ9.eyJ0eGlkIjoid2Fsa3Rocm91Z2gifQ.UgteiioQSF-ViAPrCu5tmmEpMM0SgUDkTAPdivFk7Kh6',
  status: 'ATIVA',
};

const SECOND = {
  time: '2027-01-09T08:00:01.002Z',
  token: 'Rod9CmZeqKoTEYFre8oxCXRFUlQzihaC',
  crc: '03E2',
  e2eid: 'E99999999202701090800ZYXWVUTSRQP',
  kid: 'Aa0_bB1-cC2dD3eE4fF5gG6hH7iI8jJ9kK0lL1mM2nN',
  n: 'xQ3-Zz_yY1xX2wW3vV4uU5tT6sS7rR8qQ9pP0oO1nN2mM3lL4kK5jJ6iI7hH8gG9',
  jws: 'eyJhbGciOiJSUzI1NiJ9.eyJ0eGlkIjoid2Fsa3Rocm91Z2gifQ.qI7NUrYkwcgXmyoyOjt2YLQyhxH-lPdr3xQ7RId9TDXZ',
  status: 'ATIVA',
};

describe('normalizedWalkthrough', () => {
  it('makes two runs of the same walk-through equal', () => {
    expect(normalizedWalkthrough(excerpt(FIRST))).toBe(normalizedWalkthrough(excerpt(SECOND)));
    expect(normalizedWalkthrough(excerpt(FIRST))).not.toContain(FIRST.token);
  });

  it('keeps what the service decides: a changed status, and the key set path', () => {
    const normalized = normalizedWalkthrough(excerpt(FIRST));
    expect(normalized).toContain('GET /qr/v2/jwks.json');
    expect(normalizedWalkthrough(excerpt({ ...FIRST, status: 'CONCLUIDA' }))).not.toBe(normalized);
  });
});
