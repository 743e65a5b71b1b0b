// Client secrets hashed with scrypt (memory-hard, in node:crypto). The stored form carries its own
// parameters and salt, `scrypt$N$r$p$salt$hash` (base64url), so they can be raised later without
// invalidating existing secrets.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SecretHasher } from '../domain/ports.ts';

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** About 16 MiB and tens of milliseconds per check: cheap for a token request, costly to brute-force. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { N: 16_384, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function derive(secret: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function createScryptSecretHasher(params: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): SecretHasher {
  return {
    async hash(secret) {
      const salt = randomBytes(SALT_BYTES);
      const key = await derive(secret, salt, params);
      return [
        'scrypt',
        params.N,
        params.r,
        params.p,
        salt.toString('base64url'),
        key.toString('base64url'),
      ].join('$');
    },

    async verify(secret, stored) {
      const parsed = parseHash(stored);
      if (!parsed) return false;
      const key = await derive(secret, parsed.salt, parsed.params);
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    },
  };
}

function parseHash(stored: string): { params: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const [algorithm, n, r, p, salt, key, ...rest] = stored.split('$');
  if (algorithm !== 'scrypt' || rest.length > 0 || !salt || !key) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((value) => Number.isSafeInteger(value) && value > 0)) {
    return undefined;
  }
  return { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}
