import { describe, expect, it } from 'vitest';
import { HmacSigner } from './hmac-signer.ts';
import { InvalidCursorError, SignedCursorCodec, type CursorFault } from './signed-cursor.ts';

interface Position {
  at: string;
  id: string;
}
const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Position).at === 'string' &&
  typeof (value as Position).id === 'string';

let now = new Date('2026-01-01T00:00:00Z');
const clock = { now: () => now };
const signer = new HmacSigner('s'.repeat(32));
const codec = new SignedCursorCodec<Position>(
  { signer, clock, kind: 'profiles', ttlSeconds: 60 },
  isPosition,
);
const position = { at: '2025-12-31T23:59:59.123Z', id: '0190a5c6-0000-7000-8000-000000000001' };

function faultOf(run: () => unknown): CursorFault {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCursorError) return error.fault;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

function flipOneChar(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('SignedCursorCodec', () => {
  it('round-trips a position as an opaque base64url token', () => {
    const cursor = codec.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor)).toEqual(position);
  });

  it('refuses a cursor with one byte of its payload changed', () => {
    const [payload, signature] = codec.encode(position).split('.') as [string, string];
    expect(faultOf(() => codec.decode(`${flipOneChar(payload, 5)}.${signature}`))).toBe('tampered');
  });

  it('refuses a cursor with one byte of its signature changed', () => {
    const [payload, signature] = codec.encode(position).split('.') as [string, string];
    expect(faultOf(() => codec.decode(`${payload}.${flipOneChar(signature, 3)}`))).toBe('tampered');
  });

  it('refuses a cursor signed with another secret', () => {
    const other = new SignedCursorCodec<Position>(
      { signer: new HmacSigner('t'.repeat(32)), clock, kind: 'profiles', ttlSeconds: 60 },
      isPosition,
    );
    expect(faultOf(() => codec.decode(other.encode(position)))).toBe('tampered');
  });

  it('refuses an expired cursor', () => {
    const cursor = codec.encode(position);
    now = new Date(now.getTime() + 61_000);
    try {
      expect(faultOf(() => codec.decode(cursor))).toBe('expired');
    } finally {
      now = new Date('2026-01-01T00:00:00Z');
    }
  });

  it("refuses another list's cursor", () => {
    const other = new SignedCursorCodec<Position>(
      { signer, clock, kind: 'payments', ttlSeconds: 60 },
      isPosition,
    );
    expect(faultOf(() => codec.decode(other.encode(position)))).toBe('foreign');
  });

  it('refuses malformed cursors', () => {
    expect(faultOf(() => codec.decode('nodot'))).toBe('malformed');
    expect(faultOf(() => codec.decode('.sig'))).toBe('malformed');
    expect(faultOf(() => codec.decode('a.b.c'))).toBe('malformed');
    const notJson = Buffer.from('not json').toString('base64url');
    expect(faultOf(() => codec.decode(`${notJson}.${signer.sign(notJson)}`))).toBe('malformed');
    const wrongShape = Buffer.from(JSON.stringify({ k: 'profiles', e: 9e9, p: { at: 1 } })).toString(
      'base64url',
    );
    expect(faultOf(() => codec.decode(`${wrongShape}.${signer.sign(wrongShape)}`))).toBe('malformed');
  });
});

describe('HmacSigner', () => {
  it('needs a key of at least 32 bytes', () => {
    expect(() => new HmacSigner('short')).toThrow(/32 bytes/);
  });

  it('verifies its own signatures only', () => {
    expect(signer.verify('data', signer.sign('data'))).toBe(true);
    expect(signer.verify('data', signer.sign('other'))).toBe(false);
    expect(signer.verify('data', '')).toBe(false);
  });
});
