import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 signatures in base64url, verified in constant time. */
export class HmacSigner {
  readonly #key: Buffer;

  constructor(secret: string | Buffer) {
    this.#key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.#key.length < 32) throw new Error('an HMAC key needs at least 32 bytes');
  }

  sign(data: string): string {
    return createHmac('sha256', this.#key).update(data, 'utf8').digest('base64url');
  }

  verify(data: string, signature: string): boolean {
    const expected = createHmac('sha256', this.#key).update(data, 'utf8').digest();
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
