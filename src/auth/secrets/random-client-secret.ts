import { randomBytes } from 'node:crypto';

/** A client secret: 32 random bytes, base64url (43 characters, 256 bits). */
export function randomClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
